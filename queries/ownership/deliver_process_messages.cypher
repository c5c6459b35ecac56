// Deliver a batch of messages, each exactly once, to whoever holds the employee's
// rights in the message's work company now. Removing `pending` locks each message
// of the batch ($ids sorted, so two runners lock in the same order); only after all
// those locks is a message checked, so one a concurrent runner delivered while we
// waited (its DELIVERED_TO is committed by then) is skipped. Holders are touched
// only after all claims, in id order, so runners cannot deadlock.
UNWIND $ids AS id
MATCH (m:ProcessMessage {id: id})
REMOVE m.pending
WITH collect(m) AS claimed
UNWIND claimed AS m
WITH m WHERE NOT EXISTS { (m)-[:DELIVERED_TO]->() }
MATCH (m)-[:ABOUT]->(e:User), (m)-[:IN]->(o:Organisation)
WITH m, coalesce(head(COLLECT {
       MATCH (h:User)-[:HOLDS_RIGHTS_OF {organisation: o.id}]->(e) RETURN h ORDER BY h.id
     }), e) AS holder
ORDER BY holder.id
CREATE (m)-[:DELIVERED_TO]->(holder)
SET m.deliveredAt = $at
RETURN count(m) AS delivered
