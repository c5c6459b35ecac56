// The chosen user, or an ADMIN of their environment, answers a partnership proposal
// ($status: ACCEPTED or DECLINED). Whoever is neither sees no such proposal (the
// proposer is told they cannot answer their own). The proposal is locked first, so
// two answers at once are served one after the other; answering again the same way
// changes nothing.
//
// Accepting checks both representatives now (ADVANCED_USER or ADMIN, active), then
// creates the partnership (origin MANUAL; or, if the environments became partners
// meanwhile, keeps that one: the pairKey MERGE settles a race with another creator)
// with the proposer and the chosen user as representatives, and connects the two.
OPTIONAL MATCH (q:PartnershipProposal {id: $proposalId})
SET q._lock = true REMOVE q._lock
WITH q
OPTIONAL MATCH (a:User)-[:PROPOSED]->(q)
OPTIONAL MATCH (a)-[ma:MEMBER_OF]->(ea:Environment)
OPTIONAL MATCH (q)-[:TO]->(b:User)-[mb:MEMBER_OF]->(eb:Environment)
OPTIONAL MATCH (u:User {id: $userId})-[mu:MEMBER_OF]->(eu:Environment)
WITH q, a, ea, b, eb, q.status = 'PENDING' AS fresh, CASE
  WHEN q IS NULL THEN {kind: 'not_found', label: 'PartnershipProposal', id: $proposalId}
  WHEN u = a THEN {kind: 'not_recipient', recipient: b.id, label: 'PartnershipProposal', id: $proposalId}
  WHEN NOT (u = b OR (eu = eb AND mu.role = 'ADMIN'))
    THEN {kind: 'not_found', label: 'PartnershipProposal', id: $proposalId}
  WHEN NOT q.status IN ['PENDING', $status]
    THEN {kind: 'already_decided', label: 'PartnershipProposal', id: $proposalId, status: q.status}
  WHEN q.status <> 'PENDING' OR $status <> 'ACCEPTED' THEN null
  WHEN NOT mb.role IN ['ADMIN', 'ADVANCED_USER']
    THEN {kind: 'role_too_low', user: b.id, role: mb.role, required: 'ADVANCED_USER'}
  WHEN NOT coalesce(b.active, true) OR coalesce(b.loginBlocked, false)
    THEN {kind: 'user_inactive', user: b.id}
  WHEN NOT ma.role IN ['ADMIN', 'ADVANCED_USER']
    THEN {kind: 'role_too_low', user: a.id, role: ma.role, required: 'ADVANCED_USER'}
  WHEN NOT coalesce(a.active, true) OR coalesce(a.loginBlocked, false)
    THEN {kind: 'user_inactive', user: a.id}
END AS problem
CALL (q, fresh, problem) {
  WITH * WHERE problem IS NULL AND fresh
  SET q.status = $status, q.decidedAt = $at, q.decidedBy = $userId
  REMOVE q.pendingKey
}
CALL (q, a, ea, b, eb, fresh, problem) {
  WITH * WHERE problem IS NULL AND fresh AND $status = 'ACCEPTED'
  MERGE (p:Partnership {pairKey: CASE WHEN ea.id < eb.id THEN ea.id + $sep + eb.id
                                      ELSE eb.id + $sep + ea.id END})
    ON CREATE SET p:Entity, p.id = $partnershipId, p.origin = 'MANUAL', p.createdAt = $at
  SET q.partnership = p.id
  WITH a, ea, b, eb, p
  CALL (a, ea, b, eb, p) {
    WITH * WHERE p.id = $partnershipId AND NOT EXISTS { (p)-[:BETWEEN]->() }
    CREATE (p)-[:BETWEEN]->(ea), (p)-[:BETWEEN]->(eb), (a)-[:REPRESENTS]->(p), (b)-[:REPRESENTS]->(p)
  }
  WITH CASE WHEN a.id < b.id THEN a ELSE b END AS s, CASE WHEN a.id < b.id THEN b ELSE a END AS t
  SET s._lock = true REMOVE s._lock
  WITH s, t WHERE NOT EXISTS { (s)-[:CONNECTED_WITH]-(t) }
  CREATE (s)-[:CONNECTED_WITH {since: $at, via: 'PARTNERSHIP'}]->(t)
}
RETURN problem, q {.*, sender: a.id, recipient: b.id} AS proposal
