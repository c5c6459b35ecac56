// Link a relation of the vendor's own contractant to a customer's contractant
// (the "technische inrichting": database and contractant on a LINKED_TO edge from
// the relation's currently active subscription, its newest active one).
//
// One relation per contractant, under concurrent writers: the invariant hangs on
// the contractant node, so its write lock is taken FIRST (SET/REMOVE of a dummy
// property; the lock is held until commit), THEN its current link is read, THEN
// the link is written. A second writer for the same contractant waits at the
// lock; once the first commits it reads the new link and is refused. Without
// the lock, both could read "no link yet" and both write. The chosen subscription
// is locked too, before its `active` is read, so an endSubscription running at
// the same time either ends this link with it or makes this link refused.
//
// Linking the relation that is already linked, with the same database, is a no-op.
//
// A link ties two tenants, so it needs their partnership ($requirePartnership; only
// operators link without one): a contractant that is not the vendor's partner is
// the same not_found as one that does not exist. A refusal names the linked
// relation only when it is the same vendor's; another vendor's stays unnamed.
OPTIONAL MATCH (c:Environment {id: $contractantId})
SET c._lock = true REMOVE c._lock
WITH c
OPTIONAL MATCH (r:Relation {id: $relationId})-[:IN]->(home:Environment)
WITH c, r, home,
     COLLECT { MATCH (s:Subscription)-[l:LINKED_TO]->(c), (s)-[:OF]->(x:Relation)-[:IN]->(h:Environment)
               RETURN {id: x.id, name: x.name, database: l.database, home: h.id} ORDER BY s.id }[0] AS current,
     COLLECT { MATCH (s:Subscription)-[:OF]->(r) WHERE coalesce(s.active, true)
               RETURN s ORDER BY s.createdAt DESC, s.id DESC }[0] AS sub
CALL (sub) {
  WITH sub WHERE sub IS NOT NULL
  SET sub._lock = true REMOVE sub._lock
}
WITH c, r, current, sub, CASE
  WHEN r IS NULL THEN {kind: 'not_found', label: 'Relation', id: $relationId}
  WHEN c IS NULL THEN {kind: 'not_found', label: 'Environment', id: $contractantId}
  WHEN home = c THEN {kind: 'own_contractant', relation: $relationId, contractant: $contractantId}
  WHEN $requirePartnership AND NOT EXISTS { (home)<-[:BETWEEN]-(:Partnership)-[:BETWEEN]->(c) }
    THEN {kind: 'not_found', label: 'Environment', id: $contractantId}
  WHEN current IS NOT NULL AND NOT (current.id = $relationId AND current.database = $database)
    THEN CASE WHEN current.home = home.id
      THEN {kind: 'relation_already_linked', contractant: $contractantId, relation: current.id,
            relationName: current.name, database: current.database}
      ELSE {kind: 'linked_elsewhere', contractant: $contractantId} END
  WHEN current IS NULL AND (sub IS NULL OR NOT coalesce(sub.active, true))
    THEN {kind: 'no_active_subscription', relation: $relationId, relationName: r.name}
END AS problem
CALL (c, sub, current, problem) {
  WITH * WHERE problem IS NULL AND current IS NULL
  CREATE (sub)-[:LINKED_TO {database: $database, contractant: c.id, linkedAt: $at}]->(c)
}
RETURN problem,
       CASE WHEN problem IS NULL THEN COLLECT {
         MATCH (s:Subscription)-[l:LINKED_TO]->(c), (s)-[:OF]->(x:Relation)-[:IN]->(h:Environment)
         RETURN {relation: x {.*, environment: h.id}, subscription: s.id, props: l {.*}} ORDER BY s.id
       }[0] END AS link
