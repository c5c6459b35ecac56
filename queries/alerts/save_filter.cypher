// Save a user's filter over their environment's dossiers; it matches from $at on.
OPTIONAL MATCH (u:User {id: $userId})-[:MEMBER_OF]->(e:Environment)
WITH u, e, CASE WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId} END AS problem
CALL (u, problem) {
  WITH * WHERE problem IS NULL
  CREATE (f:Entity:SavedFilter {id: $filterId, name: $name, kind: $kind,
                                nameContains: $nameContains, createdAt: $at})
  CREATE (f)-[:OWNED_BY {since: $at}]->(u)
}
OPTIONAL MATCH (f:SavedFilter {id: $filterId}) WHERE problem IS NULL
RETURN problem, f {.*, owner: u.id, environment: e.id} AS filter
