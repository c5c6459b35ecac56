// The process messages delivered to a user, by id.
OPTIONAL MATCH (u:User {id: $userId})
RETURN CASE WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId} END AS problem,
       COLLECT {
         MATCH (m:ProcessMessage)-[:DELIVERED_TO]->(u)
         WHERE ($after IS NULL OR m.id > $after) AND ($before IS NULL OR m.id < $before)
         RETURN m {.id, .process, .createdAt, .deliveredAt, deliveredTo: u.id,
                   employee: head(COLLECT { MATCH (m)-[:ABOUT]->(e) RETURN e.id }),
                   workCompany: head(COLLECT { MATCH (m)-[:IN]->(w) RETURN w.id })}
         ORDER BY CASE WHEN $backward THEN m.id END DESC, m.id LIMIT $limit
       } AS items
