// The user a password-reset token belongs to, while it is unused and fresh.
MATCH (u:User {resetTokenHash: $tokenHash})-[m:MEMBER_OF]->(e:Environment)
WHERE u.resetIssuedAt >= $validFrom
RETURN u {.id, .email, .username, .name, .active, .loginBlocked, .mailEnabled,
          .relationshipManager, .createdAt, environment: e.id, role: m.role} AS user
