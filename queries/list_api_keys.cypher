// Keys by id: of one environment ($environmentId), or every key ($environmentId
// null), optionally of one kind; revoked ones too (they say when).
MATCH (k:ApiKey)
OPTIONAL MATCH (k)-[:FOR]->(e:Environment)
WITH k, e
WHERE ($environmentId IS NULL OR e.id = $environmentId)
  AND ($kind IS NULL OR k.kind = $kind)
  AND ($after IS NULL OR k.id > $after)
RETURN k {.id, .kind, .name, .createdAt, .expiresAt, .lastUsedAt, .revokedAt,
          environment: e.id} AS key
ORDER BY k.id LIMIT $limit
