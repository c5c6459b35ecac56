// The environment is locked so that two admins demoting each other at once
// cannot leave it without an ADMIN.
OPTIONAL MATCH (u:User {id: $userId})-[m:MEMBER_OF]->(e:Environment)
CALL (e) {
  WITH e WHERE e IS NOT NULL
  SET e._lock = true REMOVE e._lock
}
WITH u, m, e, COUNT { (a:User)-[:MEMBER_OF {role: 'ADMIN'}]->(e) WHERE a <> u } AS otherAdmins
WITH u, m, e, CASE
  WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId}
  WHEN coalesce(u.relationshipManager, false) AND NOT $role IN ['ADMIN', 'ADVANCED_USER']
    THEN {kind: 'relationship_manager_role', user: $userId}
  WHEN m.role = 'ADMIN' AND $role <> 'ADMIN' AND otherAdmins = 0
    THEN {kind: 'last_admin', user: $userId, environment: e.id}
END AS problem
CALL (m, problem) {
  WITH * WHERE problem IS NULL
  SET m.role = $role
}
RETURN problem,
       u {.id, .email, .username, .name, .active, .loginBlocked, .mailEnabled,
          .relationshipManager, .createdAt, environment: e.id, role: m.role} AS user
