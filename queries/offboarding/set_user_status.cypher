// Deactivate, reactivate, block or unblock a user ($active / $loginBlocked: null
// leaves that flag as it is). The seat limit counts active users, so activation
// locks the environment (writes to it) before counting. Becoming inactive or
// blocked ends every open session of the user at once, with $reason.
OPTIONAL MATCH (u:User {id: $userId})-[m:MEMBER_OF]->(e:Environment)
CALL (e) {
  WITH e WHERE e IS NOT NULL
  SET e._lock = true REMOVE e._lock
}
WITH u, m, e, coalesce(u.active, true) AS wasActive,
     COUNT { (o:User)-[:MEMBER_OF]->(e) WHERE o <> u AND coalesce(o.active, true) } AS othersActive
WITH u, m, e, CASE
  WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId}
  WHEN $active AND NOT wasActive AND e.seatLimit IS NOT NULL AND othersActive >= e.seatLimit
    THEN {kind: 'seat_limit', environment: e.id, limit: e.seatLimit}
END AS problem
CALL (u, problem) {
  WITH * WHERE problem IS NULL
  SET u.active = coalesce($active, u.active, true),
      u.loginBlocked = coalesce($loginBlocked, u.loginBlocked, false)
  WITH u WHERE NOT u.active OR u.loginBlocked
  MATCH (s:Session)-[:OF]->(u) WHERE s.invalidatedAt IS NULL
  SET s.invalidatedAt = $at, s.reason = $reason
}
RETURN problem,
       u {.id, .email, .username, .name, .active, .loginBlocked, .mailEnabled,
          .relationshipManager, .createdAt, environment: e.id, role: m.role} AS user
