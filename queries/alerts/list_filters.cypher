// A user's saved filters, by id.
OPTIONAL MATCH (u:User {id: $userId})-[:MEMBER_OF]->(e:Environment)
RETURN CASE WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId} END AS problem,
       COLLECT {
         MATCH (u)<-[:OWNED_BY]-(f:SavedFilter)
         WHERE ($after IS NULL OR f.id > $after) AND ($before IS NULL OR f.id < $before)
         RETURN f {.*, owner: u.id, environment: e.id}
         ORDER BY CASE WHEN $backward THEN f.id END DESC, f.id LIMIT $limit
       } AS items
