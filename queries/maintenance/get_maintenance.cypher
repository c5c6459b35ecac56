// The open window of an environment, and whether the user already saw its warning.
MATCH (w:MaintenanceWindow)-[:FOR]->(e:Environment {id: $environmentId})
WHERE w.endedAt IS NULL
RETURN w {.id, .startsAt, .expectedEndAt, .endedAt, .createdBy, .createdAt, environment: e.id} AS window,
       EXISTS { (:User {id: $userId})-[:WARNED_OF]->(w) } AS warned
