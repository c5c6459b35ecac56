// Users and organisations whose name (or a user's email) contains $search,
// case-insensitive, by id; the explorer's search box.
MATCH (n:User|Organisation)
WHERE toLower(n.name) CONTAINS $search OR toLower(coalesce(n.email, '')) CONTAINS $search
WITH n ORDER BY n.id LIMIT $limit
RETURN [l IN labels(n) WHERE l <> 'Entity'][0] AS label, n.id AS id, properties(n) AS props
