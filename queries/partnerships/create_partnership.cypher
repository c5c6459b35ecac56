// A partnership joins the environments of two users and connects the two.
// The unique pairKey (the two environment ids, sorted) settles a race between
// two creators of the same partnership; the connection's lower-id end is locked
// so the connection is stored once.
OPTIONAL MATCH (u:User {id: $userId})-[mu:MEMBER_OF]->(eu:Environment)
OPTIONAL MATCH (p:User {id: $partnerUserId})-[:MEMBER_OF]->(ep:Environment)
WITH u, mu, eu, p, ep,
     CASE WHEN eu.id < ep.id THEN eu.id + $sep + ep.id ELSE ep.id + $sep + eu.id END AS pairKey
OPTIONAL MATCH (x:Partnership {pairKey: pairKey})
WITH u, eu, p, ep, pairKey, CASE
  WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId}
  WHEN p IS NULL THEN {kind: 'not_found', label: 'User', id: $partnerUserId}
  WHEN eu = ep THEN {kind: 'same_environment', user: $userId, peer: $partnerUserId}
  WHEN NOT mu.role IN ['ADMIN', 'ADVANCED_USER']
    THEN {kind: 'role_too_low', user: $userId, role: mu.role, required: 'ADVANCED_USER'}
  WHEN NOT coalesce(u.active, true) OR coalesce(u.loginBlocked, false)
    THEN {kind: 'user_inactive', user: $userId}
  WHEN NOT coalesce(p.active, true) OR coalesce(p.loginBlocked, false)
    THEN {kind: 'user_inactive', user: $partnerUserId}
  WHEN x IS NOT NULL
    THEN {kind: 'partnership_exists', environments: replace(pairKey, $sep, ' and '), partnership: x.id}
END AS problem
CALL (u, eu, p, ep, pairKey, problem) {
  WITH * WHERE problem IS NULL
  CREATE (n:Entity:Partnership {id: $partnershipId, origin: $origin, createdAt: $at, pairKey: pairKey})
  CREATE (n)-[:BETWEEN]->(eu), (n)-[:BETWEEN]->(ep), (u)-[:REPRESENTS]->(n), (p)-[:REPRESENTS]->(n)
  WITH CASE WHEN u.id < p.id THEN u ELSE p END AS s, CASE WHEN u.id < p.id THEN p ELSE u END AS t
  SET s._lock = true REMOVE s._lock
  WITH s, t WHERE NOT EXISTS { (s)-[:CONNECTED_WITH]-(t) }
  CREATE (s)-[:CONNECTED_WITH {since: $at, via: 'PARTNERSHIP'}]->(t)
}
OPTIONAL MATCH (n:Partnership {id: $partnershipId}) WHERE problem IS NULL
RETURN problem, n {.*} AS partnership,
       COLLECT { MATCH (n)-[:BETWEEN]->(e:Environment) RETURN e.id } AS environments,
       COLLECT { MATCH (r:User)-[:REPRESENTS]->(n) RETURN r.id } AS representatives
