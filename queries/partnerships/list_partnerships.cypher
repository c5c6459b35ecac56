OPTIONAL MATCH (e:Environment {id: $environmentId})
RETURN CASE WHEN e IS NULL THEN {kind: 'not_found', label: 'Environment', id: $environmentId} END AS problem,
       COLLECT {
         MATCH (n:Partnership)-[:BETWEEN]->(e)
         WHERE ($after IS NULL OR n.id > $after) AND ($before IS NULL OR n.id < $before)
           // $within: the environments the caller reaches; a partnership is listed only
           // when both of its sides lie within them (null: no limit)
           AND ($within IS NULL OR NOT EXISTS {
                 MATCH (n)-[:BETWEEN]->(x:Environment) WHERE NOT x.id IN $within })
         RETURN {partnership: n {.*},
                 environments: COLLECT { MATCH (n)-[:BETWEEN]->(x:Environment) RETURN x.id },
                 representatives: COLLECT { MATCH (r:User)-[:REPRESENTS]->(n) RETURN r.id }}
         ORDER BY CASE WHEN $backward THEN n.id END DESC, n.id LIMIT $limit
       } AS items
