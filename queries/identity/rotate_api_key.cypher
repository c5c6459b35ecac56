// Replace a key by a new one with the same kind, name, environment and end, in one
// transaction: the old key is locked, checked (not revoked), revoked, and the new
// one created.
OPTIONAL MATCH (k:ApiKey {id: $keyId})
SET k._lock = true REMOVE k._lock
WITH k
OPTIONAL MATCH (k)-[:FOR]->(e:Environment)
WITH k, e, CASE
  WHEN k IS NULL THEN {kind: 'not_found', label: 'ApiKey', id: $keyId}
  WHEN k.revokedAt IS NOT NULL THEN {kind: 'key_revoked', key: $keyId}
END AS problem
CALL (k, e, problem) {
  WITH * WHERE problem IS NULL
  SET k.revokedAt = $at
  CREATE (n:Entity:ApiKey {id: $newKeyId, kind: k.kind, name: k.name, keyHash: $newKeyHash,
                           createdAt: $at, expiresAt: k.expiresAt, rotatedFrom: k.id})
  FOREACH (env IN CASE WHEN e IS NULL THEN [] ELSE [e] END | CREATE (n)-[:FOR]->(env))
}
OPTIONAL MATCH (n:ApiKey {id: $newKeyId}) WHERE problem IS NULL
RETURN problem,
       n {.id, .kind, .name, .createdAt, .expiresAt, .lastUsedAt, .revokedAt,
          environment: e.id} AS key
