// Add a relation to the vendor's own contractant (an environment).
OPTIONAL MATCH (e:Environment {id: $environmentId})
WITH e, CASE WHEN e IS NULL THEN {kind: 'not_found', label: 'Environment', id: $environmentId} END AS problem
CALL (e, problem) {
  WITH * WHERE problem IS NULL
  CREATE (:Entity:Relation {id: $relationId, name: $name, createdAt: $at})-[:IN]->(e)
}
OPTIONAL MATCH (r:Relation {id: $relationId}) WHERE problem IS NULL
RETURN problem, r {.*, environment: e.id} AS relation
