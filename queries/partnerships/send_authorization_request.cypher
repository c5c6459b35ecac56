// An intermediary (A, ADVANCED_USER or ADMIN) asks B to activate organisation O
// of B's environment with a software link. B's side lies outside A's reach until
// B accepts, so every way the pair (B, O) can be wrong (no such user, no such
// organisation, O not B's, B inactive) is the one answer unknown_recipient, which
// repeats only the two ids A typed.
OPTIONAL MATCH (a:User {id: $senderId})-[ma:MEMBER_OF]->(ea:Environment)
OPTIONAL MATCH (b:User {id: $recipientId})-[:MEMBER_OF]->(eb:Environment)
OPTIONAL MATCH (o:Organisation {id: $organisationId})-[:BELONGS_TO]->(eo:Environment)
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
END AS problem
CALL (a, b, o, problem) {
  WITH * WHERE problem IS NULL
  CREATE (r:Entity:AuthorizationRequest {id: $requestId, status: 'PENDING', software: $software,
                                         createdAt: $at})
  CREATE (a)-[:SENT]->(r), (r)-[:TO]->(b), (r)-[:FOR]->(o)
}
OPTIONAL MATCH (r:AuthorizationRequest {id: $requestId}) WHERE problem IS NULL
RETURN problem, r {.*, sender: $senderId, recipient: $recipientId, organisation: $organisationId} AS request
