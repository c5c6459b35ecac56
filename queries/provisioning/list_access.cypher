OPTIONAL MATCH (u:User {id: $userId})
RETURN CASE WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId} END AS problem,
       COLLECT {
         MATCH (u)-[a:HAS_ACCESS]->(o:Organisation)
         RETURN {organisation: o.id, role: a.role} ORDER BY o.id
       } AS items
