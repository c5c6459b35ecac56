// The ownership rights a user holds: those of others (HOLDS_RIGHTS_OF edges to
// employees with access to that work company) and their own wherever nobody else
// holds them; sorted by (work company, employee).
OPTIONAL MATCH (u:User {id: $userId})
RETURN CASE WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId} END AS problem,
       COLLECT {
         CALL (u) {
           MATCH (u)-[r:HOLDS_RIGHTS_OF]->(e:User)
           WHERE EXISTS { (e)-[:HAS_ACCESS]->(:Organisation {id: r.organisation}) }
           RETURN e.id AS employee, r.organisation AS workCompany, true AS explicit
           UNION
           MATCH (u)-[:HAS_ACCESS]->(o:Organisation)
           WHERE NOT EXISTS { (:User)-[:HOLDS_RIGHTS_OF {organisation: o.id}]->(u) }
           RETURN u.id AS employee, o.id AS workCompany, false AS explicit
         }
         WITH employee, workCompany, explicit, workCompany + $sep + employee AS key
         WHERE ($after IS NULL OR key > $after) AND ($before IS NULL OR key < $before)
         RETURN {employee: employee, workCompany: workCompany, explicit: explicit}
         ORDER BY CASE WHEN $backward THEN key END DESC, key LIMIT $limit
       } AS items
