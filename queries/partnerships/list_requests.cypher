// Requests that wait for an answer, of one kind: $label and $sent (the sender's
// relationship to the request) come from the store's fixed list of kinds
// (store/neo4j/partnerships_requests.py): Invitation/INVITED,
// AuthorizationRequest/SENT, PartnershipProposal/PROPOSED. The requests a user may
// answer ($incoming: those to them and, where $adminsAnswer, for an ADMIN those to any
// user of their environment) or has sent, by id, optionally by status. Every request
// comes in one shape: its properties, sender, recipient and organisation (if any).
OPTIONAL MATCH (u:User {id: $userId})
OPTIONAL MATCH (u)-[m:MEMBER_OF]->(e:Environment)
RETURN CASE WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId} END AS problem,
       COLLECT {
         CALL (u, m, e) {
           MATCH (r)-[:TO]->(u) WHERE $incoming AND $label IN labels(r) RETURN r
           UNION
           MATCH (b:User)-[:MEMBER_OF]->(e) WHERE $incoming AND $adminsAnswer AND m.role = 'ADMIN'
           MATCH (r)-[:TO]->(b) WHERE $label IN labels(r) RETURN r
           UNION
           MATCH (u)-[s:INVITED|SENT|PROPOSED]->(r)
           WHERE NOT $incoming AND type(s) = $sent AND $label IN labels(r) RETURN r
         }
         WITH r WHERE ($status IS NULL OR r.status = $status) AND ($after IS NULL OR r.id > $after)
           AND ($before IS NULL OR r.id < $before)
         MATCH (a:User)-[s:INVITED|SENT|PROPOSED]->(r)-[:TO]->(b:User) WHERE type(s) = $sent
         OPTIONAL MATCH (r)-[:FOR]->(o:Organisation)
         RETURN r {.*, sender: a.id, recipient: b.id, organisation: o.id}
         ORDER BY CASE WHEN $backward THEN r.id END DESC, r.id LIMIT $limit
       } AS items
