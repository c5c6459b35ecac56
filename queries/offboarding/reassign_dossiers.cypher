// Reassign the matching dossiers (all, or those of $dossierIds among them) to one
// active user of the same environment, in one transaction. The new responsible
// user is locked first, so a concurrent deactivation waits or is seen.
OPTIONAL MATCH (t:User {id: $toUserId})-[:MEMBER_OF]->(te:Environment)
CALL (t) {
  WITH t WHERE t IS NOT NULL
  SET t._lock = true REMOVE t._lock
}
WITH t, te, CASE
  WHEN t IS NULL THEN {kind: 'not_found', label: 'User', id: $toUserId}
  WHEN te.id <> $environmentId
    THEN {kind: 'wrong_environment', label: 'User', id: $toUserId, environment: $environmentId}
  WHEN NOT coalesce(t.active, true) OR coalesce(t.loginBlocked, false)
    THEN {kind: 'user_inactive', user: $toUserId}
END AS problem
CALL (t, problem) {
  WITH * WHERE problem IS NULL
  MATCH (:Environment {id: $environmentId})<-[:MEMBER_OF]-(u:User)<-[r:RESPONSIBLE]-(d:Dossier)
  WHERE ($responsibleId IS NULL OR u.id = $responsibleId)
    AND ($nameContains IS NULL OR toLower(u.name) CONTAINS toLower($nameContains))
    AND ($dossierIds IS NULL OR d.id IN $dossierIds)
    AND u <> t
  DELETE r
  CREATE (d)-[:RESPONSIBLE {since: $at}]->(t)
  RETURN count(d) AS moved
}
RETURN problem, moved
