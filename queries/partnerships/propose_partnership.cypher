// A user proposes a partnership between their environment and that of the chosen
// user (DESIGN §3.1: a tie between tenants needs the other side's consent). Nothing
// crosses until the chosen user, or an ADMIN of their environment, accepts
// (answer_partnership_proposal.cypher). The proposer's own standing is checked
// here; the chosen user's at acceptance, so that proposing reveals nothing about
// them beyond the id the proposer typed. One pending proposal from an environment
// to a user: it carries that pair's key (pendingKey), which a uniqueness constraint
// guards. Not one per pair of environments: refusing a second proposal to another
// user of the same environment would tell the proposer that the two users share one.
// Whichever proposal is accepted first makes the partnership; the rest, accepted
// later, keep it. Each proposal mails its recipient: the users of one environment make
// at most $limit in any $windowSeconds (graph_engine.store.quota; per environment, as an
// ADMIN proposes for any of its users), counted under a lock on the environment.
OPTIONAL MATCH (a:User {id: $proposerId})-[ma:MEMBER_OF]->(ea:Environment)
SET ea._lock = true REMOVE ea._lock
WITH a, ma, ea
OPTIONAL MATCH (ea)<-[:MEMBER_OF]-(:User)-[:PROPOSED]->(recent:PartnershipProposal)
  WHERE recent.createdAt > $at - duration({seconds: $windowSeconds})
WITH a, ma, ea, recent.createdAt AS sentAt ORDER BY sentAt DESC
WITH a, ma, ea, collect(sentAt) AS sent
WITH a, ma, ea, CASE WHEN size(sent) >= $limit
  THEN duration.inSeconds($at, sent[$limit - 1] + duration({seconds: $windowSeconds}))
END AS remaining
OPTIONAL MATCH (b:User {id: $recipientId})-[:MEMBER_OF]->(eb:Environment)
WITH a, ma, ea, b, eb, remaining, ea.id + $sep + b.id AS pendingKey,
     CASE WHEN ea.id < eb.id THEN ea.id + $sep + eb.id ELSE eb.id + $sep + ea.id END AS pairKey
OPTIONAL MATCH (x:Partnership {pairKey: pairKey})
OPTIONAL MATCH (q:PartnershipProposal {pendingKey: pendingKey})
WITH a, b, pairKey, pendingKey, CASE
  WHEN a IS NULL THEN {kind: 'not_found', label: 'User', id: $proposerId}
  WHEN NOT ma.role IN ['ADMIN', 'ADVANCED_USER']
    THEN {kind: 'role_too_low', user: $proposerId, role: ma.role, required: 'ADVANCED_USER'}
  WHEN NOT coalesce(a.active, true) OR coalesce(a.loginBlocked, false)
    THEN {kind: 'user_inactive', user: $proposerId}
  WHEN b IS NULL THEN {kind: 'not_found', label: 'User', id: $recipientId}
  WHEN ea = eb THEN {kind: 'same_environment', user: $proposerId, peer: $recipientId}
  WHEN x IS NOT NULL
    THEN {kind: 'partnership_exists', environments: replace(pairKey, $sep, ' and '), partnership: x.id}
  WHEN q IS NOT NULL THEN {kind: 'proposal_pending', proposal: q.id}
  // Whole seconds, rounded up, at least 1 (as graph_engine.store.quota.retry_after).
  WHEN remaining IS NOT NULL THEN {kind: 'propose_quota', limit: $limit,
    retryAfter: CASE WHEN remaining.seconds < 1 THEN 1
      ELSE remaining.seconds + sign(remaining.nanosecondsOfSecond) END}
END AS problem
CALL (a, b, pendingKey, problem) {
  WITH * WHERE problem IS NULL
  CREATE (q:Entity:PartnershipProposal {id: $proposalId, status: 'PENDING', createdAt: $at,
                                        pendingKey: pendingKey})
  CREATE (a)-[:PROPOSED]->(q), (q)-[:TO]->(b)
}
OPTIONAL MATCH (q:PartnershipProposal {id: $proposalId}) WHERE problem IS NULL
RETURN problem, q {.*, sender: $proposerId, recipient: $recipientId} AS proposal
