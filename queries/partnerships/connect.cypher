// Connect two users of partnered environments, stored once (lower id first,
// that end locked so two simultaneous connects agree).
OPTIONAL MATCH (u:User {id: $userId})-[:MEMBER_OF]->(eu:Environment)
OPTIONAL MATCH (p:User {id: $peerId})-[:MEMBER_OF]->(ep:Environment)
WITH u, p, CASE
  WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId}
  WHEN p IS NULL THEN {kind: 'not_found', label: 'User', id: $peerId}
  WHEN eu = ep THEN {kind: 'same_environment', user: $userId, peer: $peerId}
  WHEN NOT EXISTS { (eu)<-[:BETWEEN]-(:Partnership)-[:BETWEEN]->(ep) }
    THEN {kind: 'no_partnership', user: $userId, peer: $peerId}
END AS problem
CALL (u, p, problem) {
  WITH * WHERE problem IS NULL
  WITH CASE WHEN u.id < p.id THEN u ELSE p END AS s, CASE WHEN u.id < p.id THEN p ELSE u END AS t
  SET s._lock = true REMOVE s._lock
  WITH s, t WHERE NOT EXISTS { (s)-[:CONNECTED_WITH]-(t) }
  CREATE (s)-[:CONNECTED_WITH {since: $at, via: $via}]->(t)
  RETURN count(*) AS created
}
RETURN problem, created > 0 AS created
