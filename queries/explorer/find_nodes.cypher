// Users and organisations whose name (or a user's email) contains $search,
// case-insensitive, by id, those after $after (null: from the first); the explorer's
// search box, which reads batches until it has enough within the caller's reach.
MATCH (n:User|Organisation)
WHERE ($after IS NULL OR n.id > $after)
  AND (toLower(n.name) CONTAINS $search OR toLower(coalesce(n.email, '')) CONTAINS $search)
WITH n ORDER BY n.id LIMIT $limit
RETURN [l IN labels(n) WHERE l <> 'Entity'][0] AS label, n.id AS id, properties(n) AS props
