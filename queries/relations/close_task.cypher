// Close a task; closing a closed task keeps its first closedAt.
OPTIONAL MATCH (t:Task {id: $taskId})
WITH t, CASE WHEN t IS NULL THEN {kind: 'not_found', label: 'Task', id: $taskId} END AS problem
CALL (t, problem) {
  WITH * WHERE problem IS NULL AND t.status <> 'CLOSED'
  SET t.status = 'CLOSED', t.closedAt = $at
}
RETURN problem,
       t {.*, relation: COLLECT { MATCH (t)-[:CONCERNS]->(r:Relation) RETURN r.id ORDER BY r.id }[0]} AS task
