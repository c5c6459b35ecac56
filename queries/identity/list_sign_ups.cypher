// The pending sign-ups addressed to an environment (its ADMINs approve them), by id.
MATCH (s:SignUp {status: 'PENDING'})-[:TO]->(e:Environment {id: $environmentId})
WHERE ($after IS NULL OR s.id > $after) AND ($before IS NULL OR s.id < $before)
RETURN s {.id, .email, .name, .status, .createdAt, .expiresAt, environment: e.id} AS signUp
ORDER BY CASE WHEN $backward THEN s.id END DESC, s.id LIMIT $limit
