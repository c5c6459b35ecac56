// The audit event of a mutation, written in the mutation's own transaction: who, what
// (the action and the ids it touched), when, the request, and the environments it
// concerns (the event is listed in each, for its ADMINs).
CREATE (a:Entity:AuditEvent {id: $eventId, action: $action, actor: $actor,
                             principal: $principal, at: $at, requestId: $requestId, ids: $ids})
WITH a
CALL (a) {
  UNWIND $environments AS environmentId
  MATCH (e:Environment {id: environmentId})
  CREATE (a)-[:IN]->(e)
}
CALL (a) {
  MATCH (u:User {id: $actor})
  CREATE (a)-[:BY]->(u)
}
