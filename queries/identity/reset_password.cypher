// Set a new password with a reset token: once (the user is locked first), while it
// is fresh; every open session of the user ends with $reason.
MATCH (u:User {resetTokenHash: $tokenHash})
SET u._lock = true REMOVE u._lock
WITH u
WHERE u.resetTokenHash = $tokenHash AND u.resetIssuedAt >= $validFrom
SET u.passwordHash = $passwordHash, u.passwordChangedAt = $at
REMOVE u.resetTokenHash, u.resetIssuedAt
WITH u
CALL (u) {
  MATCH (s:Session)-[:OF]->(u) WHERE s.invalidatedAt IS NULL
  SET s.invalidatedAt = $at, s.reason = $reason
}
WITH u
MATCH (u)-[m:MEMBER_OF]->(e:Environment)
RETURN u {.id, .email, .username, .name, .active, .loginBlocked, .mailEnabled,
          .relationshipManager, .createdAt, environment: e.id, role: m.role} AS user
