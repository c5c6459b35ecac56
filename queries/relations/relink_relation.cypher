// Replace a contractant's link in one transaction: unlink whatever is linked,
// link the new relation (on its currently active subscription, its newest active
// one). Locked on the contractant first, like link_relation, then on the chosen
// subscription, then checked, then written; a refusal changes nothing. Like
// link_relation, the contractant must be the vendor's partner unless an operator
// relinks, and the relation needs an active subscription.
OPTIONAL MATCH (c:Environment {id: $contractantId})
SET c._lock = true REMOVE c._lock
WITH c
OPTIONAL MATCH (r:Relation {id: $relationId})-[:IN]->(home:Environment)
WITH c, r, home,
     COLLECT { MATCH (s:Subscription)-[:OF]->(r) WHERE coalesce(s.active, true)
               RETURN s ORDER BY s.createdAt DESC, s.id DESC }[0] AS sub
CALL (sub) {
  WITH sub WHERE sub IS NOT NULL
  SET sub._lock = true REMOVE sub._lock
}
WITH c, r, sub, CASE
  WHEN r IS NULL THEN {kind: 'not_found', label: 'Relation', id: $relationId}
  WHEN c IS NULL THEN {kind: 'not_found', label: 'Environment', id: $contractantId}
  WHEN home = c THEN {kind: 'own_contractant', relation: $relationId, contractant: $contractantId}
  WHEN $requirePartnership AND NOT EXISTS { (home)<-[:BETWEEN]-(:Partnership)-[:BETWEEN]->(c) }
    THEN {kind: 'not_found', label: 'Environment', id: $contractantId}
  WHEN sub IS NULL OR NOT coalesce(sub.active, true)
    THEN {kind: 'no_active_subscription', relation: $relationId, relationName: r.name}
END AS problem, COLLECT {
  MATCH (s:Subscription)-[l:LINKED_TO]->(c), (s)-[:OF]->(x:Relation)-[:IN]->(h:Environment)
  RETURN {relation: x {.*, environment: h.id}, subscription: s.id, props: l {.*}} ORDER BY s.id
}[0] AS removed
CALL (c, sub, problem) {
  WITH * WHERE problem IS NULL
  OPTIONAL MATCH ()-[old:LINKED_TO]->(c)
  DELETE old
  WITH DISTINCT c, sub
  CREATE (sub)-[:LINKED_TO {database: $database, contractant: c.id, linkedAt: $at}]->(c)
}
RETURN problem, CASE WHEN problem IS NULL THEN removed END AS removed,
       CASE WHEN problem IS NULL THEN COLLECT {
         MATCH (s:Subscription)-[l:LINKED_TO]->(c), (s)-[:OF]->(x:Relation)-[:IN]->(h:Environment)
         RETURN {relation: x {.*, environment: h.id}, subscription: s.id, props: l {.*}} ORDER BY s.id
       }[0] END AS link
