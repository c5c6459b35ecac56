// Remove a contractant's link and return it. The contractant is locked first, as
// in link_relation, so an unlink and a link of one contractant never interleave.
OPTIONAL MATCH (c:Environment {id: $contractantId})
SET c._lock = true REMOVE c._lock
WITH c, COLLECT {
  MATCH (s:Subscription)-[l:LINKED_TO]->(c), (s)-[:OF]->(x:Relation)-[:IN]->(h:Environment)
  RETURN {relation: x {.*, environment: h.id}, subscription: s.id, props: l {.*}} ORDER BY s.id
}[0] AS removed
CALL (c) {
  WITH c WHERE c IS NOT NULL
  MATCH (:Subscription)-[l:LINKED_TO]->(c)
  DELETE l
}
RETURN CASE WHEN c IS NULL THEN {kind: 'not_found', label: 'Environment', id: $contractantId} END AS problem,
       removed
