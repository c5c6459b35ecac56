// Sets the first password of the user holding an unused, unexpired activation token.
// The user is locked before the token is checked, so a token works once.
MATCH (u:User {activationTokenHash: $tokenHash})
SET u._lock = true REMOVE u._lock
WITH u
WHERE u.activationTokenHash = $tokenHash AND u.activationIssuedAt >= $validFrom
  AND u.passwordHash IS NULL
SET u.passwordHash = $passwordHash, u.activatedAt = $at
REMOVE u.activationTokenHash, u.activationIssuedAt
WITH u
MATCH (u)-[m:MEMBER_OF]->(e:Environment)
RETURN u {.id, .email, .username, .name, .active, .loginBlocked, .mailEnabled,
          .relationshipManager, .createdAt, environment: e.id, role: m.role} AS user
