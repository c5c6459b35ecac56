OPTIONAL MATCH (e:Environment {id: $environmentId})
RETURN CASE WHEN e IS NULL THEN {kind: 'not_found', label: 'Environment', id: $environmentId} END AS problem,
       COLLECT {
         MATCH (o:Organisation)-[:BELONGS_TO]->(e)
         WHERE $after IS NULL OR o.id > $after
         RETURN o {.*, environment: e.id} ORDER BY o.id LIMIT $limit
       } AS items
