// Subscriptions are counted only through the contractant's link (stored on one of
// the linked relation's active subscriptions): an unlinked
// contractant counts none.
OPTIONAL MATCH (c:Environment {id: $contractantId})
OPTIONAL MATCH (s:Subscription)-[:LINKED_TO]->(c), (s)-[:OF]->(x:Relation)
WITH c, x ORDER BY s.id LIMIT 1
RETURN CASE WHEN c IS NULL THEN {kind: 'not_found', label: 'Environment', id: $contractantId} END AS problem,
       x.id AS relation,
       COUNT { MATCH (s:Subscription)-[:OF]->(x) WHERE coalesce(s.active, true) } AS active,
       COUNT { MATCH (s:Subscription)-[:OF]->(x) } AS total
