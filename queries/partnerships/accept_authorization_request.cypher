// B accepts A's request for organisation O. Every effect runs on every
// acceptance, also when the environment, the activation or the partnership
// already existed: O gets the software, the two environments get a partnership
// (origin AUTHORIZATION) unless they have one, and B is connected with A and
// with every relationship manager of A's environment. Skipping these when
// "nothing was new" is how the A–C connection went missing in the old product.
OPTIONAL MATCH (r:AuthorizationRequest {id: $requestId})
OPTIONAL MATCH (r)-[:TO]->(b:User)-[mb:MEMBER_OF]->(eb:Environment)
OPTIONAL MATCH (a:User)-[:SENT]->(r)
OPTIONAL MATCH (a)-[:MEMBER_OF]->(ea:Environment)
OPTIONAL MATCH (r)-[:FOR]->(o:Organisation)
WITH r, a, ea, b, eb, o, CASE
  WHEN r IS NULL THEN {kind: 'not_found', label: 'AuthorizationRequest', id: $requestId}
  // Only the two parties know of it: the sender is told who answers, anyone else sees
  // no such request.
  WHEN b.id <> $userId AND a.id <> $userId
    THEN {kind: 'not_found', label: 'AuthorizationRequest', id: $requestId}
  WHEN b.id <> $userId
    THEN {kind: 'not_recipient', recipient: b.id, label: 'AuthorizationRequest', id: $requestId}
  WHEN NOT r.status IN ['PENDING', 'ACCEPTED']
    THEN {kind: 'already_decided', label: 'AuthorizationRequest', id: $requestId, status: r.status}
  WHEN NOT coalesce(b.active, true) OR coalesce(b.loginBlocked, false)
    THEN {kind: 'user_inactive', user: $userId}
  // Acceptance may create a partnership, which only an ADVANCED_USER or ADMIN does
  // (DESIGN §3.1): a USER, CLIENT or CANDIDATE cannot open the environment to A.
  WHEN NOT mb.role IN ['ADMIN', 'ADVANCED_USER']
    THEN {kind: 'role_too_low', user: $userId, role: mb.role, required: 'ADVANCED_USER'}
END AS problem
CALL (r, a, ea, b, eb, o, problem) {
  WITH * WHERE problem IS NULL
  SET o.activatedSoftware = CASE
    WHEN r.software IN coalesce(o.activatedSoftware, []) THEN o.activatedSoftware
    ELSE coalesce(o.activatedSoftware, []) + r.software END
  SET r.decidedAt = CASE WHEN r.status = 'ACCEPTED' THEN r.decidedAt ELSE $at END,
      r.status = 'ACCEPTED'
  MERGE (p:Partnership {pairKey: CASE WHEN ea.id < eb.id THEN ea.id + $sep + eb.id
                                      ELSE eb.id + $sep + ea.id END})
    ON CREATE SET p:Entity, p.id = $partnershipId, p.origin = 'AUTHORIZATION', p.createdAt = $at
  WITH a, ea, b, eb, p
  CALL (a, ea, b, eb, p) {
    WITH * WHERE p.id = $partnershipId AND NOT EXISTS { (p)-[:BETWEEN]->() }
    CREATE (p)-[:BETWEEN]->(ea), (p)-[:BETWEEN]->(eb), (a)-[:REPRESENTS]->(p), (b)-[:REPRESENTS]->(p)
  }
}
CALL (a, ea, b, problem) {
  WITH * WHERE problem IS NULL
  UNWIND [a] + COLLECT { MATCH (rm:User {relationshipManager: true})-[:MEMBER_OF]->(ea) RETURN rm } AS peer
  WITH DISTINCT b, peer WHERE peer <> b
  WITH peer, CASE WHEN b.id < peer.id THEN b ELSE peer END AS s,
             CASE WHEN b.id < peer.id THEN peer ELSE b END AS t
  ORDER BY peer.id
  SET s._lock = true REMOVE s._lock
  WITH peer, s, t WHERE NOT EXISTS { (s)-[:CONNECTED_WITH]-(t) }
  CREATE (s)-[:CONNECTED_WITH {since: $at, via: 'AUTHORIZATION'}]->(t)
  RETURN collect(peer.id) AS connected
}
OPTIONAL MATCH (r)-[:FOR]->(:Organisation)-[:BELONGS_TO]->(:Environment)<-[:BETWEEN]-(p:Partnership)-[:BETWEEN]->(ea)
  WHERE problem IS NULL
RETURN problem,
       r {.*, sender: a.id, recipient: b.id, organisation: o.id} AS request,
       p {.*} AS partnership,
       COLLECT { MATCH (p)-[:BETWEEN]->(e:Environment) RETURN e.id } AS environments,
       COLLECT { MATCH (x:User)-[:REPRESENTS]->(p) RETURN x.id } AS representatives,
       p.id = $partnershipId AS partnershipCreated,
       connected
