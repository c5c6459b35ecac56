OPTIONAL MATCH (u:User {id: $userId})
RETURN CASE WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId} END AS problem,
       COLLECT {
         CALL (u) {
           MATCH (u)-[:INVITED]->(n:Invitation) WHERE NOT $incoming RETURN n
           UNION
           MATCH (n:Invitation)-[:TO]->(u) WHERE $incoming RETURN n
         }
         WITH n WHERE ($status IS NULL OR n.status = $status) AND ($after IS NULL OR n.id > $after)
           AND ($before IS NULL OR n.id < $before)
         MATCH (i:User)-[:INVITED]->(n)-[:TO]->(j:User), (n)-[:FOR]->(o:Organisation)
         RETURN n {.*, inviter: i.id, invitee: j.id, organisation: o.id}
         ORDER BY CASE WHEN $backward THEN n.id END DESC, n.id LIMIT $limit
       } AS items
