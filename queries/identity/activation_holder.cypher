// The user an unused, unexpired activation token belongs to (so the new password can
// be checked against their name and address before it is set).
MATCH (u:User {activationTokenHash: $tokenHash})-[m:MEMBER_OF]->(e:Environment)
WHERE u.activationIssuedAt >= $validFrom AND u.passwordHash IS NULL
RETURN u {.id, .email, .username, .name, .active, .loginBlocked, .mailEnabled,
          .relationshipManager, .createdAt, environment: e.id, role: m.role} AS user
