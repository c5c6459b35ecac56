OPTIONAL MATCH (u:User {id: $userId})
WITH u, CASE WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId} END AS problem
CALL (u, problem) {
  WITH * WHERE problem IS NULL
  CREATE (:Entity:Session {id: $sessionId, tokenHash: $tokenHash, createdAt: $at})-[:OF]->(u)
}
RETURN problem
