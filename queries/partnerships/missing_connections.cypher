// Every pair of users the connection rules (DESIGN §3.1) require and the graph
// lacks — legacy data from before acceptance always connected. The rules, in
// order of precedence: an acceptor with the request's sender (REQUEST_SENDER),
// an acceptor with each relationship manager of the sender's environment
// (RELATIONSHIP_MANAGER), and a partnership's two representatives
// (REPRESENTATIVES). One row per unordered pair: the first rule that asks for it
// (then the lowest request or partnership id) names it.
CALL () {
  MATCH (a:User)-[:SENT]->(r:AuthorizationRequest {status: 'ACCEPTED'})-[:TO]->(b:User)
  RETURN b AS user, a AS peer, 0 AS priority, r.id AS source
  UNION ALL
  MATCH (a:User)-[:SENT]->(r:AuthorizationRequest {status: 'ACCEPTED'})-[:TO]->(b:User)
  MATCH (a)-[:MEMBER_OF]->(:Environment)<-[:MEMBER_OF]-(rm:User {relationshipManager: true})
  RETURN b AS user, rm AS peer, 1 AS priority, r.id AS source
  UNION ALL
  MATCH (x:User)-[:REPRESENTS]->(p:Partnership)<-[:REPRESENTS]-(y:User)
  MATCH (x)-[:MEMBER_OF]->(ex:Environment)<-[:BETWEEN]-(p)-[:BETWEEN]->(ey:Environment)<-[:MEMBER_OF]-(y)
  WHERE ex.id < ey.id
  RETURN x AS user, y AS peer, 2 AS priority, p.id AS source
}
WITH user, peer, priority, source WHERE user <> peer
WITH user, peer, priority, source,
     CASE WHEN user.id < peer.id THEN [user.id, peer.id] ELSE [peer.id, user.id] END AS pair
ORDER BY priority, source, peer.id
WITH pair, head(collect({user: user, peer: peer, priority: priority})) AS first
WITH first.user AS user, first.peer AS peer, first.priority AS priority
WHERE NOT EXISTS { (user)-[:CONNECTED_WITH]-(peer) }
MATCH (user)-[:MEMBER_OF]->(eu:Environment), (peer)-[:MEMBER_OF]->(ep:Environment)
OPTIONAL MATCH (eu)<-[:BETWEEN]-(p:Partnership)-[:BETWEEN]->(ep)
WITH user, peer, priority, eu, ep, p, user.id + $sep + peer.id AS key
WHERE ($environmentId IS NULL OR eu.id = $environmentId OR ep.id = $environmentId)
  AND ($partnershipId IS NULL OR p.id = $partnershipId)
  AND ($after IS NULL OR key > $after) AND ($before IS NULL OR key < $before)
RETURN user.id AS user, peer.id AS peer,
       ['REQUEST_SENDER', 'RELATIONSHIP_MANAGER', 'REPRESENTATIVES'][priority] AS rule,
       p.id AS partnership
ORDER BY CASE WHEN $backward THEN key END DESC, key LIMIT $limit
