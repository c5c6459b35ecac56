// Keys by id: of one environment ($environmentId), or every key ($environmentId
// null), optionally of one kind; revoked ones too (they say when).
MATCH (k:ApiKey)
OPTIONAL MATCH (k)-[:FOR]->(e:Environment)
WITH k, e
WHERE ($environmentId IS NULL OR e.id = $environmentId)
  AND ($kind IS NULL OR k.kind = $kind)
  AND ($after IS NULL OR k.id > $after) AND ($before IS NULL OR k.id < $before)
RETURN k {.id, .kind, .name, .createdAt, .expiresAt, .lastUsedAt, .revokedAt,
          environment: e.id} AS key
ORDER BY CASE WHEN $backward THEN k.id END DESC, k.id LIMIT $limit
