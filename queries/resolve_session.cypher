// The caller behind a session token, read live on every request: the user's
// current role and status, and whether the session was invalidated (and why).
MATCH (s:Session {tokenHash: $tokenHash})-[:OF]->(u:User)-[m:MEMBER_OF]->(e:Environment)
RETURN s.id AS session, s.invalidatedAt AS invalidatedAt, s.reason AS reason,
       u {.id, .email, .username, .name, .active, .loginBlocked, .mailEnabled,
          .relationshipManager, .createdAt, environment: e.id, role: m.role} AS user
