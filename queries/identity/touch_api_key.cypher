// Note that a key was used (at most about once a minute).
MATCH (k:ApiKey {id: $keyId})
SET k.lastUsedAt = $at
