// Connect the given pairs (the missing connections of one partnership), each
// stored once with its lower-id end locked.
UNWIND $pairs AS pair
MATCH (u:User {id: pair.user}), (p:User {id: pair.peer})
WITH CASE WHEN u.id < p.id THEN u ELSE p END AS s, CASE WHEN u.id < p.id THEN p ELSE u END AS t
ORDER BY s.id, t.id
SET s._lock = true REMOVE s._lock
WITH s, t WHERE NOT EXISTS { (s)-[:CONNECTED_WITH]-(t) }
CREATE (s)-[:CONNECTED_WITH {since: $at, via: 'REPAIR'}]->(t)
RETURN count(*) AS created
