MATCH (k:ApiKey {id: $keyId})
OPTIONAL MATCH (k)-[:FOR]->(e:Environment)
RETURN k {.id, .kind, .name, .createdAt, .expiresAt, .lastUsedAt, .revokedAt,
          environment: e.id} AS key
