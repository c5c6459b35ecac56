// The outgoing relationships of one page of start nodes, in id order.
MATCH (a:Entity)
WHERE a.id > coalesce($after, "")  // a range seek on the id index, in index order
WITH a ORDER BY a.id LIMIT $limit
OPTIONAL MATCH (a)-[r]->(b:Entity)
RETURN a.id AS start, type(r) AS type, b.id AS end, properties(r) AS props
