// A new username, which is also the user's mailbox name at the environment's
// domain: unique within the environment, so the environment is locked first.
OPTIONAL MATCH (u:User {id: $userId})-[m:MEMBER_OF]->(e:Environment)
CALL (e) {
  WITH e WHERE e IS NOT NULL
  SET e._lock = true REMOVE e._lock
}
WITH u, m, e, CASE
  WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId}
  WHEN EXISTS { (o:User {username: $username})-[:MEMBER_OF]->(e) WHERE o <> u }
    THEN {kind: 'duplicate_username', username: $username, environment: e.id}
END AS problem
CALL (u, problem) {
  WITH * WHERE problem IS NULL
  SET u.username = $username
}
RETURN problem,
       u {.id, .email, .username, .name, .active, .loginBlocked, .mailEnabled,
          .relationshipManager, .createdAt, environment: e.id, role: m.role} AS user
