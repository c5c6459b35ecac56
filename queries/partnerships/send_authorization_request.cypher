// An intermediary (A, ADVANCED_USER or ADMIN) asks B to activate organisation O
// of B's environment with a software link. B's side lies outside A's reach until
// B accepts, so every way the pair (B, O) can be wrong (no such user, no such
// organisation, O not B's, B inactive) is the one answer unknown_recipient, which
// repeats only the two ids A typed.
//
// The sender is locked first, so that one sender's requests are counted one after
// the other (graph_engine.store.quota): one pending request per (A, B, O), and at
// most $limit requests per sender in the last $windowSeconds.
OPTIONAL MATCH (a:User {id: $senderId})-[ma:MEMBER_OF]->(ea:Environment)
SET a._lock = true REMOVE a._lock
WITH a, ma, ea
OPTIONAL MATCH (b:User {id: $recipientId})-[:MEMBER_OF]->(eb:Environment)
OPTIONAL MATCH (o:Organisation {id: $organisationId})-[:BELONGS_TO]->(eo:Environment)
OPTIONAL MATCH (a)-[:SENT]->(same:AuthorizationRequest {status: 'PENDING'})-[:TO]->(b)
  WHERE (same)-[:FOR]->(o)
WITH a, ma, ea, b, eb, o, eo, head(collect(same.id)) AS pending
OPTIONAL MATCH (a)-[:SENT]->(recent:AuthorizationRequest)
  WHERE recent.createdAt > $at - duration({seconds: $windowSeconds})
WITH a, ma, ea, b, eb, o, eo, pending, recent.createdAt AS sentAt ORDER BY sentAt DESC
WITH a, ma, ea, b, eb, o, eo, pending, collect(sentAt) AS sent
WITH a, ma, ea, b, eb, o, eo, pending,
     CASE WHEN size(sent) >= $limit
       THEN duration.inSeconds($at, sent[$limit - 1] + duration({seconds: $windowSeconds}))
     END AS remaining
WITH a, b, o, CASE
  WHEN a IS NULL THEN {kind: 'not_found', label: 'User', id: $senderId}
  WHEN NOT ma.role IN ['ADMIN', 'ADVANCED_USER']
    THEN {kind: 'role_too_low', user: $senderId, role: ma.role, required: 'ADVANCED_USER'}
  WHEN NOT coalesce(a.active, true) OR coalesce(a.loginBlocked, false)
    THEN {kind: 'user_inactive', user: $senderId}
  WHEN b IS NULL OR o IS NULL OR eo <> eb
    THEN {kind: 'unknown_recipient', recipient: $recipientId, organisation: $organisationId}
  WHEN ea = eb THEN {kind: 'same_environment', user: $senderId, peer: $recipientId}
  WHEN NOT coalesce(b.active, true) OR coalesce(b.loginBlocked, false)
    THEN {kind: 'unknown_recipient', recipient: $recipientId, organisation: $organisationId}
  WHEN pending IS NOT NULL THEN {kind: 'request_pending', request: pending}
  // Whole seconds, rounded up, at least 1 (as graph_engine.store.quota.retry_after).
  WHEN remaining IS NOT NULL THEN {kind: 'send_quota', limit: $limit,
    retryAfter: CASE WHEN remaining.seconds < 1 THEN 1
      ELSE remaining.seconds + sign(remaining.nanosecondsOfSecond) END}
END AS problem
CALL (a, b, o, problem) {
  WITH * WHERE problem IS NULL
  CREATE (r:Entity:AuthorizationRequest {id: $requestId, status: 'PENDING', software: $software,
                                         createdAt: $at})
  CREATE (a)-[:SENT]->(r), (r)-[:TO]->(b), (r)-[:FOR]->(o)
}
OPTIONAL MATCH (r:AuthorizationRequest {id: $requestId}) WHERE problem IS NULL
RETURN problem, r {.*, sender: $senderId, recipient: $recipientId, organisation: $organisationId} AS request
