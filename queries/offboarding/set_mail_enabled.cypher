// Mail settings on or off; without them an inactive user's mail is not forwarded.
OPTIONAL MATCH (u:User {id: $userId})-[m:MEMBER_OF]->(e:Environment)
WITH u, m, e, CASE WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId} END AS problem
CALL (u, problem) {
  WITH * WHERE problem IS NULL
  SET u.mailEnabled = $enabled
}
RETURN problem,
       u {.id, .email, .username, .name, .active, .loginBlocked, .mailEnabled,
          .relationshipManager, .createdAt, environment: e.id, role: m.role} AS user
