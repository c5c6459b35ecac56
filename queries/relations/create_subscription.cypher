OPTIONAL MATCH (r:Relation {id: $relationId})
WITH r, CASE WHEN r IS NULL THEN {kind: 'not_found', label: 'Relation', id: $relationId} END AS problem
CALL (r, problem) {
  WITH * WHERE problem IS NULL
  CREATE (:Entity:Subscription {id: $subscriptionId, active: $active, createdAt: $at})-[:OF]->(r)
}
OPTIONAL MATCH (s:Subscription {id: $subscriptionId}) WHERE problem IS NULL
RETURN problem, s {.*, relation: r.id} AS subscription
