// The outgoing relationships of one page of start nodes, in id order.
MATCH (a:Entity)
WHERE $after IS NULL OR a.id > $after
WITH a ORDER BY a.id LIMIT $limit
OPTIONAL MATCH (a)-[r]->(b:Entity)
RETURN a.id AS start, type(r) AS type, b.id AS end, properties(r) AS props
