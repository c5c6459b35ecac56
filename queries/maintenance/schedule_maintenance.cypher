// Opens a maintenance window. "At most one open window per environment" hangs on
// the environment node, so it is locked (written to) before the check.
OPTIONAL MATCH (e:Environment {id: $environmentId})
CALL (e) {
  WITH e WHERE e IS NOT NULL
  SET e._lock = true REMOVE e._lock
}
WITH e, head(COLLECT {
  MATCH (w:MaintenanceWindow)-[:FOR]->(e) WHERE w.endedAt IS NULL RETURN w.id
}) AS open
WITH e, CASE
  WHEN e IS NULL THEN {kind: 'not_found', label: 'Environment', id: $environmentId}
  WHEN open IS NOT NULL THEN {kind: 'maintenance_open', environment: e.id, window: open}
END AS problem
CALL (e, problem) {
  WITH * WHERE problem IS NULL
  CREATE (:Entity:MaintenanceWindow {id: $windowId, startsAt: $startsAt,
                                     expectedEndAt: $expectedEndAt, createdBy: $createdBy,
                                     createdAt: $at})-[:FOR]->(e)
}
RETURN problem
