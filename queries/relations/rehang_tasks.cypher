// Move every OPEN task of one relation (or, with $taskIds, those tasks: each must be
// an OPEN task of it, else nothing moves) to another relation of the same
// environment, in this one statement (one transaction); closed tasks stay.
// The source relation is locked first, so two re-hangs from it run one after
// the other instead of both deleting the same edges. Returns how many moved.
OPTIONAL MATCH (f:Relation {id: $fromRelationId})-[:IN]->(fe:Environment)
OPTIONAL MATCH (t:Relation {id: $toRelationId})-[:IN]->(te:Environment)
CALL (f) {
  WITH f WHERE f IS NOT NULL
  SET f._lock = true REMOVE f._lock
}
WITH f, t, CASE
  WHEN f IS NULL THEN {kind: 'not_found', label: 'Relation', id: $fromRelationId}
  WHEN t IS NULL THEN {kind: 'not_found', label: 'Relation', id: $toRelationId}
  WHEN f = t THEN {kind: 'same_relation', relation: $fromRelationId}
  WHEN fe <> te THEN {kind: 'wrong_environment', label: 'Relation', id: $toRelationId, environment: fe.id}
END AS problem
WITH f, t, problem, CASE WHEN problem IS NULL AND $taskIds IS NOT NULL
  THEN [id IN $taskIds WHERE NOT EXISTS { (:Task {id: id, status: 'OPEN'})-[:CONCERNS]->(f) }]
  ELSE [] END AS strays
WITH f, t, coalesce(problem, CASE WHEN size(strays) > 0
  THEN {kind: 'not_open_tasks_of', relation: $fromRelationId, tasks: strays} END) AS problem
CALL (f, t, problem) {
  WITH * WHERE problem IS NULL
  MATCH (task:Task)-[c:CONCERNS]->(f)
  WHERE task.status = 'OPEN' AND ($taskIds IS NULL OR task.id IN $taskIds)
  DELETE c
  WITH task, t
  CALL (task, t) {
    // CREATE, not MERGE: measurably cheaper over 100,000 tasks; the guard keeps
    // a task that already concerns the target (raw imports) from getting a second edge.
    WITH * WHERE NOT EXISTS { (task)-[:CONCERNS]->(t) }
    CREATE (task)-[:CONCERNS]->(t)
  }
  RETURN count(task) AS moved
}
RETURN problem, moved
