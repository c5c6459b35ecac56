// Deliver a batch of messages, each exactly once, to whoever holds the employee's
// rights in the message's work company now. Every message of the batch is locked
// first ($ids sorted, so two runners lock in the same order), and only then is it
// checked: one a concurrent runner delivered while we waited is skipped. Holders
// are touched only after all claims, in id order, so runners cannot deadlock.
UNWIND $ids AS id
MATCH (m:ProcessMessage {id: id})
CALL (m) {
  SET m._lock = true
  REMOVE m._lock
}
WITH collect(m) AS claimed
UNWIND claimed AS m
WITH m WHERE m.pending = true AND NOT EXISTS { (m)-[:DELIVERED_TO]->() }
MATCH (m)-[:ABOUT]->(e:User), (m)-[:IN]->(o:Organisation)
WITH m, coalesce(head(COLLECT {
       MATCH (h:User)-[:HOLDS_RIGHTS_OF {organisation: o.id}]->(e) RETURN h ORDER BY h.id
     }), e) AS holder
ORDER BY holder.id
CREATE (m)-[:DELIVERED_TO {at: $at}]->(holder)
SET m.deliveredAt = $at
REMOVE m.pending
RETURN count(m) AS delivered
