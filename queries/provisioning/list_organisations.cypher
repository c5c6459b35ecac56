// An environment's organisations by id; total: how many it has (a degree count).
OPTIONAL MATCH (e:Environment {id: $environmentId})
RETURN CASE WHEN e IS NULL THEN {kind: 'not_found', label: 'Environment', id: $environmentId} END AS problem,
       COLLECT {
         MATCH (o:Organisation)-[:BELONGS_TO]->(e)
         WHERE ($after IS NULL OR o.id > $after) AND ($before IS NULL OR o.id < $before)
         RETURN o {.*, environment: e.id}
         ORDER BY CASE WHEN $backward THEN o.id END DESC, o.id LIMIT $limit
       } AS items,
       COUNT { (:Organisation)-[:BELONGS_TO]->(e) } AS total
