// The users among $ids (unknown ids are left out), for the API's batched lookups.
UNWIND $ids AS id
MATCH (u:User {id: id})-[m:MEMBER_OF]->(e:Environment)
RETURN u {.id, .email, .username, .name, .active, .loginBlocked, .mailEnabled,
          .relationshipManager, .createdAt, environment: e.id, role: m.role} AS user
