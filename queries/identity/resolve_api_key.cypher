// A machine principal, with its key's end and last use, and the open maintenance
// window of the environment its key is bound to (if any).
MATCH (k:ApiKey {keyHash: $keyHash})
OPTIONAL MATCH (k)-[:FOR]->(e:Environment)
RETURN k.id AS id, k.kind AS kind, e.id AS environment, k.expiresAt AS expiresAt,
       k.lastUsedAt AS lastUsedAt, k.revokedAt AS revokedAt,
       head(COLLECT {
         MATCH (w:MaintenanceWindow)-[:FOR]->(e) WHERE w.endedAt IS NULL
         RETURN w {.id, .startsAt, .expectedEndAt, .endedAt, .createdBy, .createdAt, environment: e.id}
       }) AS maintenance
