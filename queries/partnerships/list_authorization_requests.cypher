OPTIONAL MATCH (u:User {id: $userId})
RETURN CASE WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId} END AS problem,
       COLLECT {
         CALL (u) {
           MATCH (u)-[:SENT]->(r:AuthorizationRequest) WHERE NOT $incoming RETURN r
           UNION
           MATCH (r:AuthorizationRequest)-[:TO]->(u) WHERE $incoming RETURN r
         }
         WITH r WHERE ($status IS NULL OR r.status = $status) AND ($after IS NULL OR r.id > $after)
           AND ($before IS NULL OR r.id < $before)
         MATCH (a:User)-[:SENT]->(r)-[:TO]->(b:User), (r)-[:FOR]->(o:Organisation)
         RETURN r {.*, sender: a.id, recipient: b.id, organisation: o.id}
         ORDER BY CASE WHEN $backward THEN r.id END DESC, r.id LIMIT $limit
       } AS items
