// One page of nodes in id order.
MATCH (n:Entity)
WHERE n.id > coalesce($after, "")  // a range seek on the id index, in index order
WITH n ORDER BY n.id LIMIT $limit
RETURN [l IN labels(n) WHERE l <> 'Entity'][0] AS label, n.id AS id, properties(n) AS props
