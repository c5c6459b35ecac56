// Link a relation of the vendor's own contractant to a customer's contractant
// (the "technische inrichting": database and contractant on the LINKED_TO edge).
//
// One relation per contractant, under concurrent writers: the invariant hangs on
// the contractant node, so its write lock is taken FIRST (SET/REMOVE of a dummy
// property; the lock is held until commit), THEN its current link is read, THEN
// the link is written. A second writer for the same contractant waits at the
// lock; once the first commits it reads the new link and is refused. Without
// the lock, both could read "no link yet" and both write.
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
     COLLECT { MATCH (x:Relation)-[l:LINKED_TO]->(c), (x)-[:IN]->(h:Environment)
               RETURN {id: x.id, name: x.name, database: l.database, home: h.id} ORDER BY x.id }[0] AS current
WITH c, r, current, CASE
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
END AS problem
CALL (c, r, current, problem) {
  WITH * WHERE problem IS NULL AND current IS NULL
  CREATE (r)-[:LINKED_TO {database: $database, contractant: c.id, linkedAt: $at}]->(c)
}
RETURN problem,
       CASE WHEN problem IS NULL THEN COLLECT {
         MATCH (x:Relation)-[l:LINKED_TO]->(c), (x)-[:IN]->(h:Environment)
         RETURN {relation: x {.*, environment: h.id}, props: l {.*}} ORDER BY x.id
       }[0] END AS link
