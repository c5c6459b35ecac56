// Delete a filter of the user's, with the record of what it alerted; anyone else's
// filter is NOT_FOUND, as one that does not exist.
OPTIONAL MATCH (f:SavedFilter {id: $filterId})-[:OWNED_BY]->(u:User {id: $userId})
               -[:MEMBER_OF]->(e:Environment)
WITH f, CASE WHEN f IS NULL THEN {kind: 'not_found', label: 'SavedFilter', id: $filterId} END
       AS problem, f {.*, owner: u.id, environment: e.id} AS filter
CALL (f, problem) {
  WITH * WHERE problem IS NULL
  DETACH DELETE f
}
RETURN problem, filter
