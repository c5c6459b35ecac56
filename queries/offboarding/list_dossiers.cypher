// Dossiers of an environment whose responsible user is $responsibleId, or whose
// responsible user's name contains $nameContains (case-insensitive); by id.
OPTIONAL MATCH (e:Environment {id: $environmentId})
RETURN CASE WHEN e IS NULL THEN {kind: 'not_found', label: 'Environment', id: $environmentId} END AS problem,
       COLLECT {
         MATCH (e)<-[:MEMBER_OF]-(u:User)<-[:RESPONSIBLE]-(d:Dossier)
         WHERE ($responsibleId IS NULL OR u.id = $responsibleId)
           AND ($nameContains IS NULL OR toLower(u.name) CONTAINS toLower($nameContains))
           AND ($after IS NULL OR d.id > $after) AND ($before IS NULL OR d.id < $before)
         RETURN d {.*, responsible: u.id, environment: e.id}
         ORDER BY CASE WHEN $backward THEN d.id END DESC, d.id LIMIT $limit
       } AS items
