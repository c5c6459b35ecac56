// Granting the flag connects the new relationship manager with every user who
// accepted an authorization request sent from their environment.
OPTIONAL MATCH (u:User {id: $userId})-[m:MEMBER_OF]->(e:Environment)
WITH u, m, e, CASE
  WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId}
  WHEN $enabled AND NOT m.role IN ['ADMIN', 'ADVANCED_USER']
    THEN {kind: 'role_too_low', user: $userId, role: m.role, required: 'ADVANCED_USER'}
END AS problem
CALL (u, problem) {
  WITH * WHERE problem IS NULL
  SET u.relationshipManager = $enabled
}
CALL (u, e, problem) {
  WITH * WHERE problem IS NULL AND $enabled
  MATCH (s:User)-[:MEMBER_OF]->(e), (s)-[:SENT]->(:AuthorizationRequest {status: 'ACCEPTED'})-[:TO]->(b:User)
  WITH DISTINCT u, b WHERE b <> u
  WITH b, CASE WHEN b.id < u.id THEN b ELSE u END AS s, CASE WHEN b.id < u.id THEN u ELSE b END AS t
  ORDER BY b.id
  SET s._lock = true REMOVE s._lock
  WITH b, s, t WHERE NOT EXISTS { (s)-[:CONNECTED_WITH]-(t) }
  CREATE (s)-[:CONNECTED_WITH {since: $at, via: 'RELATIONSHIP_MANAGER'}]->(t)
  RETURN collect(b.id) AS connected
}
RETURN problem, connected,
       u {.id, .email, .username, .name, .active, .loginBlocked, .mailEnabled,
          .relationshipManager, .createdAt, environment: e.id, role: m.role} AS user
