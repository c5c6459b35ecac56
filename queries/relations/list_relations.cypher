// The relations of one environment by id; $search (optional) matches the name.
OPTIONAL MATCH (e:Environment {id: $environmentId})
RETURN CASE WHEN e IS NULL THEN {kind: 'not_found', label: 'Environment', id: $environmentId} END AS problem,
       COLLECT {
         MATCH (r:Relation)-[:IN]->(e)
         WHERE ($after IS NULL OR r.id > $after) AND ($before IS NULL OR r.id < $before)
           AND ($search IS NULL OR toLower(r.name) CONTAINS toLower($search))
         RETURN r {.*, environment: e.id}
         ORDER BY CASE WHEN $backward THEN r.id END DESC, r.id LIMIT $limit
       } AS items
