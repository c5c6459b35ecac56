MATCH (r:Relation {id: $relationId})-[:IN]->(e:Environment)
RETURN r {.*, environment: e.id} AS relation
