// Active users count against the seat limit; inactive ones do not.
OPTIONAL MATCH (e:Environment {id: $environmentId})
RETURN CASE WHEN e IS NULL THEN {kind: 'not_found', label: 'Environment', id: $environmentId} END AS problem,
       e.seatLimit AS limit,
       COUNT { (u:User)-[:MEMBER_OF]->(e) WHERE coalesce(u.active, true) } AS active,
       COUNT { (u:User)-[:MEMBER_OF]->(e) WHERE NOT coalesce(u.active, true) } AS inactive
