MATCH (k:ApiKey {keyHash: $keyHash})
OPTIONAL MATCH (k)-[:FOR]->(e:Environment)
RETURN k.id AS id, k.kind AS kind, e.id AS environment
