// At most one REPORTS_TO per user: the user node is locked, the old edge removed,
// the new one written. The manager is an active user of the same environment
// (nothing can be assigned to an inactive user). $managerId null removes it.
OPTIONAL MATCH (u:User {id: $userId})-[m:MEMBER_OF]->(e:Environment)
OPTIONAL MATCH (r:User {id: $managerId})-[:MEMBER_OF]->(re:Environment)
CALL (u) {
  WITH u WHERE u IS NOT NULL
  SET u._lock = true REMOVE u._lock
}
WITH u, m, e, r, re, CASE
  WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId}
  WHEN $managerId IS NULL THEN null
  WHEN r IS NULL THEN {kind: 'not_found', label: 'User', id: $managerId}
  WHEN r = u THEN {kind: 'reports_to_self', user: $userId}
  WHEN re <> e THEN {kind: 'wrong_environment', label: 'User', id: $managerId, environment: e.id}
  WHEN NOT coalesce(r.active, true) OR coalesce(r.loginBlocked, false)
    THEN {kind: 'user_inactive', user: $managerId}
END AS problem
CALL (u, r, problem) {
  WITH * WHERE problem IS NULL
  OPTIONAL MATCH (u)-[old:REPORTS_TO]->(:User)
  DELETE old
  WITH DISTINCT u, r
  CALL (u, r) {
    WITH * WHERE r IS NOT NULL
    CREATE (u)-[:REPORTS_TO]->(r)
  }
}
RETURN problem,
       u {.id, .email, .username, .name, .active, .loginBlocked, .mailEnabled,
          .relationshipManager, .createdAt, environment: e.id, role: m.role} AS user
