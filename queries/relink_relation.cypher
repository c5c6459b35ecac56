// Replace a contractant's link in one transaction: unlink whatever is linked,
// link the new relation. Locked on the contractant first, like link_relation,
// then checked, then written; a refusal changes nothing. Like link_relation, the
// contractant must be the vendor's partner unless an operator relinks.
OPTIONAL MATCH (c:Environment {id: $contractantId})
SET c._lock = true REMOVE c._lock
WITH c
OPTIONAL MATCH (r:Relation {id: $relationId})-[:IN]->(home:Environment)
WITH c, r, home, CASE
  WHEN r IS NULL THEN {kind: 'not_found', label: 'Relation', id: $relationId}
  WHEN c IS NULL THEN {kind: 'not_found', label: 'Environment', id: $contractantId}
  WHEN home = c THEN {kind: 'own_contractant', relation: $relationId, contractant: $contractantId}
  WHEN $requirePartnership AND NOT EXISTS { (home)<-[:BETWEEN]-(:Partnership)-[:BETWEEN]->(c) }
    THEN {kind: 'not_found', label: 'Environment', id: $contractantId}
END AS problem, COLLECT {
  MATCH (x:Relation)-[l:LINKED_TO]->(c), (x)-[:IN]->(h:Environment)
  RETURN {relation: x {.*, environment: h.id}, props: l {.*}} ORDER BY x.id
}[0] AS removed
CALL (c, r, problem) {
  WITH * WHERE problem IS NULL
  OPTIONAL MATCH (:Relation)-[old:LINKED_TO]->(c)
  DELETE old
  WITH DISTINCT c, r
  CREATE (r)-[:LINKED_TO {database: $database, contractant: c.id, linkedAt: $at}]->(c)
}
RETURN problem, CASE WHEN problem IS NULL THEN removed END AS removed,
       CASE WHEN problem IS NULL THEN COLLECT {
         MATCH (x:Relation)-[l:LINKED_TO]->(c), (x)-[:IN]->(h:Environment)
         RETURN {relation: x {.*, environment: h.id}, props: l {.*}} ORDER BY x.id
       }[0] END AS link
