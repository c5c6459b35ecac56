OPTIONAL MATCH (u:User {id: $userId})
RETURN CASE WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId} END AS problem,
       COLLECT {
         MATCH (u)-[:CONNECTED_WITH]-(p:User)-[m:MEMBER_OF]->(e:Environment)
         WHERE ($after IS NULL OR p.id > $after) AND ($before IS NULL OR p.id < $before)
           // $within: the environments the caller reaches (null: no limit)
           AND ($within IS NULL OR e.id IN $within)
         WITH DISTINCT p, m, e
         RETURN p {.id, .email, .username, .name, .active, .loginBlocked, .mailEnabled,
                   .relationshipManager, .createdAt, environment: e.id, role: m.role}
         ORDER BY CASE WHEN $backward THEN p.id END DESC, p.id LIMIT $limit
       } AS items
