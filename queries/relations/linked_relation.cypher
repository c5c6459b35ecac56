// A contractant's link: the LINKED_TO edge from a relation's active subscription.
OPTIONAL MATCH (c:Environment {id: $contractantId})
RETURN CASE WHEN c IS NULL THEN {kind: 'not_found', label: 'Environment', id: $contractantId} END AS problem,
       COLLECT {
         MATCH (s:Subscription)-[l:LINKED_TO]->(c), (s)-[:OF]->(x:Relation)-[:IN]->(h:Environment)
         RETURN {relation: x {.*, environment: h.id}, subscription: s.id, props: l {.*}} ORDER BY s.id
       }[0] AS link
