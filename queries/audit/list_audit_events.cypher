// The audit events of an environment, in the order they happened (ids sort by time).
MATCH (a:AuditEvent)-[:IN]->(:Environment {id: $environmentId})
WHERE ($after IS NULL OR a.id > $after) AND ($before IS NULL OR a.id < $before)
RETURN a {.*, environments: COLLECT { MATCH (a)-[:IN]->(e:Environment) RETURN e.id }} AS event
ORDER BY CASE WHEN $backward THEN a.id END DESC, a.id LIMIT $limit
