MATCH (n:Partnership {id: $partnershipId})
RETURN n {.*} AS partnership,
       COLLECT { MATCH (n)-[:BETWEEN]->(e:Environment) RETURN e.id } AS environments,
       COLLECT { MATCH (r:User)-[:REPRESENTS]->(n) RETURN r.id } AS representatives
