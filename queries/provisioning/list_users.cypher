// An environment's users by id, optionally searched by name or email and filtered
// ($active, $role, $name: each when not null); total: how many the search and filter
// find in all (cursors aside), counted over the same members.
OPTIONAL MATCH (e:Environment {id: $environmentId})
RETURN CASE WHEN e IS NULL THEN {kind: 'not_found', label: 'Environment', id: $environmentId} END AS problem,
       COLLECT {
         MATCH (u:User)-[m:MEMBER_OF]->(e)
         WHERE ($after IS NULL OR u.id > $after) AND ($before IS NULL OR u.id < $before)
           AND ($search IS NULL OR toLower(u.name) CONTAINS $search OR toLower(u.email) CONTAINS $search)
           AND ($active IS NULL OR coalesce(u.active, true) = $active)
           AND ($role IS NULL OR m.role = $role)
           AND ($name IS NULL OR toLower(u.name) CONTAINS $name)
         RETURN u {.id, .email, .username, .name, .active, .loginBlocked, .mailEnabled,
                   .relationshipManager, .createdAt, environment: e.id, role: m.role}
         ORDER BY CASE WHEN $backward THEN u.id END DESC, u.id LIMIT $limit
       } AS items,
       COUNT {
         MATCH (u:User)-[m:MEMBER_OF]->(e)
         WHERE ($search IS NULL OR toLower(u.name) CONTAINS $search OR toLower(u.email) CONTAINS $search)
           AND ($active IS NULL OR coalesce(u.active, true) = $active)
           AND ($role IS NULL OR m.role = $role)
           AND ($name IS NULL OR toLower(u.name) CONTAINS $name)
       } AS total
