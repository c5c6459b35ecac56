// End a subscription: inactive from $at, and every link stored on it ends with it
// (those contractants answer "unlinked" from then on). The subscription is locked
// first, so a link_relation choosing it at the same time either sees it ended or
// is ended with it. Ending an ended subscription changes nothing.
OPTIONAL MATCH (s:Subscription {id: $subscriptionId})-[:OF]->(r:Relation)-[:IN]->(h:Environment)
CALL (s) {
  WITH s WHERE s IS NOT NULL
  SET s._lock = true REMOVE s._lock
}
WITH s, r, COLLECT {
  MATCH (s)-[l:LINKED_TO]->(c:Environment)
  RETURN {contractant: c.id,
          link: {relation: r {.*, environment: h.id}, subscription: s.id, props: l {.*}}}
  ORDER BY c.id
} AS ended
CALL (s) {
  WITH s WHERE s IS NOT NULL
  OPTIONAL MATCH (s)-[l:LINKED_TO]->(:Environment)
  DELETE l
}
CALL (s) {
  WITH s WHERE s IS NOT NULL AND coalesce(s.active, true)
  SET s.active = false, s.endedAt = $at
}
RETURN CASE WHEN s IS NULL THEN {kind: 'not_found', label: 'Subscription', id: $subscriptionId} END AS problem,
       s {.*, relation: r.id} AS subscription, ended
