// Who holds the employee's ownership rights in each work company they have access
// to: the source of HOLDS_RIGHTS_OF for that work company, or the employee themself.
OPTIONAL MATCH (e:User {id: $employeeId})
RETURN CASE WHEN e IS NULL THEN {kind: 'not_found', label: 'User', id: $employeeId} END AS problem,
       COLLECT {
         MATCH (e)-[:HAS_ACCESS]->(o:Organisation)
         WITH o, head(COLLECT {
           MATCH (h:User)-[:HOLDS_RIGHTS_OF {organisation: o.id}]->(e) RETURN h.id ORDER BY h.id
         }) AS holder
         RETURN {workCompany: o.id, holder: coalesce(holder, e.id), explicit: holder IS NOT NULL}
         ORDER BY o.id
       } AS items
