// Revoke a key: it fails from the next request on. Revoking twice keeps the first time.
MATCH (k:ApiKey {id: $keyId})
SET k.revokedAt = coalesce(k.revokedAt, $at)
WITH k
OPTIONAL MATCH (k)-[:FOR]->(e:Environment)
RETURN k {.id, .kind, .name, .createdAt, .expiresAt, .lastUsedAt, .revokedAt,
          environment: e.id} AS key
