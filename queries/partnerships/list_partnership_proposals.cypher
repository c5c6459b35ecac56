// The proposals a user may answer ($incoming: those to them and, for an ADMIN, those
// to any user of their environment) or has made, by id, optionally by status.
OPTIONAL MATCH (u:User {id: $userId})-[m:MEMBER_OF]->(e:Environment)
RETURN CASE WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId} END AS problem,
       CASE WHEN $incoming THEN COLLECT {
         MATCH (b:User)-[:MEMBER_OF]->(e) WHERE b = u OR m.role = 'ADMIN'
         MATCH (b)<-[:TO]-(q:PartnershipProposal)<-[:PROPOSED]-(a:User)
         WHERE ($status IS NULL OR q.status = $status) AND ($after IS NULL OR q.id > $after)
           AND ($before IS NULL OR q.id < $before)
         RETURN q {.*, proposer: a.id, recipient: b.id}
         ORDER BY CASE WHEN $backward THEN q.id END DESC, q.id LIMIT $limit
       } ELSE COLLECT {
         MATCH (u)-[:PROPOSED]->(q:PartnershipProposal)-[:TO]->(b:User)
         WHERE ($status IS NULL OR q.status = $status) AND ($after IS NULL OR q.id > $after)
           AND ($before IS NULL OR q.id < $before)
         RETURN q {.*, proposer: u.id, recipient: b.id}
         ORDER BY CASE WHEN $backward THEN q.id END DESC, q.id LIMIT $limit
       } END AS items
