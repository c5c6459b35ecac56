// Ends the open window of an environment (by hand: nothing ends a window by itself).
// The environment is locked first, as in schedule_maintenance.
OPTIONAL MATCH (e:Environment {id: $environmentId})
CALL (e) {
  WITH e WHERE e IS NOT NULL
  SET e._lock = true REMOVE e._lock
}
WITH e, head(COLLECT {
  MATCH (w:MaintenanceWindow)-[:FOR]->(e) WHERE w.endedAt IS NULL RETURN w
}) AS w
WITH e, w, CASE
  WHEN e IS NULL THEN {kind: 'not_found', label: 'Environment', id: $environmentId}
  WHEN w IS NULL THEN {kind: 'no_open_maintenance', environment: e.id}
END AS problem
CALL (w, problem) {
  WITH * WHERE problem IS NULL
  SET w.endedAt = $at
}
RETURN problem,
       CASE WHEN problem IS NULL
            THEN w {.id, .startsAt, .expectedEndAt, .endedAt, .createdBy, .createdAt, environment: e.id} END AS window
