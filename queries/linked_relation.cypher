OPTIONAL MATCH (c:Environment {id: $contractantId})
RETURN CASE WHEN c IS NULL THEN {kind: 'not_found', label: 'Environment', id: $contractantId} END AS problem,
       COLLECT {
         MATCH (x:Relation)-[l:LINKED_TO]->(c), (x)-[:IN]->(h:Environment)
         RETURN {relation: x {.*, environment: h.id}, props: l {.*}} ORDER BY x.id
       }[0] AS link
