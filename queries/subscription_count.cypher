// Subscriptions are counted only through the contractant's link: an unlinked
// contractant counts none.
OPTIONAL MATCH (c:Environment {id: $contractantId})
OPTIONAL MATCH (x:Relation)-[:LINKED_TO]->(c)
WITH c, x ORDER BY x.id LIMIT 1
RETURN CASE WHEN c IS NULL THEN {kind: 'not_found', label: 'Environment', id: $contractantId} END AS problem,
       x.id AS relation,
       COUNT { MATCH (s:Subscription)-[:OF]->(x) WHERE coalesce(s.active, true) } AS active,
       COUNT { MATCH (s:Subscription)-[:OF]->(x) } AS total
