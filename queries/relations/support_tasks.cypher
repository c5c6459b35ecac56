// The support tasks a contractant sees: only those of its linked relation.
OPTIONAL MATCH (c:Environment {id: $contractantId})
OPTIONAL MATCH (s:Subscription)-[:LINKED_TO]->(c), (s)-[:OF]->(x:Relation)
WITH c, x ORDER BY s.id LIMIT 1
RETURN CASE WHEN c IS NULL THEN {kind: 'not_found', label: 'Environment', id: $contractantId} END AS problem,
       x.id AS relation,
       COLLECT {
         MATCH (t:Task)-[:CONCERNS]->(x)
         WHERE ($status IS NULL OR t.status = $status) AND ($after IS NULL OR t.id > $after)
           AND ($before IS NULL OR t.id < $before)
         RETURN t {.*, relation: x.id}
         ORDER BY CASE WHEN $backward THEN t.id END DESC, t.id LIMIT $limit
       } AS items
