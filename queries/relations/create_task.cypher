// A new support task is OPEN and concerns one relation.
OPTIONAL MATCH (r:Relation {id: $relationId})
WITH r, CASE WHEN r IS NULL THEN {kind: 'not_found', label: 'Relation', id: $relationId} END AS problem
CALL (r, problem) {
  WITH * WHERE problem IS NULL
  CREATE (:Entity:Task {id: $taskId, title: $title, status: 'OPEN', createdAt: $at})-[:CONCERNS]->(r)
}
OPTIONAL MATCH (t:Task {id: $taskId}) WHERE problem IS NULL
RETURN problem, t {.*, relation: r.id} AS task
