// The nightly run: one process message about every employee in every work company
// of the environment they have access to. Messages wait (pending) for delivery.
// Ids are the run's id with the work company and employee, so a run is written once.
OPTIONAL MATCH (env:Environment {id: $environmentId})
WITH env, CASE WHEN env IS NULL THEN {kind: 'not_found', label: 'Environment', id: $environmentId} END AS problem
CALL (env, problem) {
  WITH * WHERE problem IS NULL
  MATCH (env)<-[:BELONGS_TO]-(o:Organisation)<-[:HAS_ACCESS]-(u:User)
  CREATE (m:Entity:ProcessMessage {id: $runId + $sep + o.id + $sep + u.id, process: $process,
                                   createdAt: $at, pending: true})
  CREATE (m)-[:ABOUT]->(u), (m)-[:IN]->(o)
  RETURN count(m) AS created
}
RETURN problem, created
