// A dossier belongs to the environment of its one responsible user, who must be
// active and not blocked (nothing can be assigned to an inactive user).
OPTIONAL MATCH (u:User {id: $responsibleId})-[:MEMBER_OF]->(e:Environment)
WITH u, e, CASE
  WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $responsibleId}
  WHEN NOT coalesce(u.active, true) OR coalesce(u.loginBlocked, false)
    THEN {kind: 'user_inactive', user: $responsibleId}
END AS problem
CALL (u, problem) {
  WITH * WHERE problem IS NULL
  CREATE (d:Entity:Dossier {id: $dossierId, name: $name, kind: $kind, createdAt: $at})
  CREATE (d)-[:RESPONSIBLE {since: $at}]->(u)
}
OPTIONAL MATCH (d:Dossier {id: $dossierId}) WHERE problem IS NULL
RETURN problem, d {.*, responsible: u.id, environment: e.id} AS dossier
