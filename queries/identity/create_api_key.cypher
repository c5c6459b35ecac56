// A machine principal's key (only its hash is stored), bound to an environment or,
// for an operator's, to none; it works until $expiresAt (null: until revoked).
OPTIONAL MATCH (e:Environment {id: $environmentId})
WITH e, CASE WHEN $environmentId IS NOT NULL AND e IS NULL
             THEN {kind: 'not_found', label: 'Environment', id: $environmentId} END AS problem
CALL (e, problem) {
  WITH * WHERE problem IS NULL
  CREATE (k:Entity:ApiKey {id: $keyId, kind: $kind, name: $name, keyHash: $keyHash,
                           createdAt: $at, expiresAt: $expiresAt})
  FOREACH (env IN CASE WHEN e IS NULL THEN [] ELSE [e] END | CREATE (k)-[:FOR]->(env))
}
RETURN problem
