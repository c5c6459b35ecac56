// The pending sign-ups addressed to an environment (its ADMINs approve them), by id.
MATCH (s:SignUp {status: 'PENDING'})-[:TO]->(e:Environment {id: $environmentId})
WHERE $after IS NULL OR s.id > $after
RETURN s {.id, .email, .name, .status, .createdAt, .expiresAt, environment: e.id} AS signUp
ORDER BY s.id LIMIT $limit
