MATCH (u:User {id: $userId})-[m:MEMBER_OF]->(e:Environment)
RETURN u {.id, .email, .username, .name, .active, .loginBlocked, .mailEnabled,
          .relationshipManager, .createdAt, environment: e.id, role: m.role} AS user
