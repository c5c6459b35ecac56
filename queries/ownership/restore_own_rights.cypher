// At login of a user with a licence: their own rights, wherever someone else holds
// them, return to them (the default, so the edges go). Rights of others they held
// earlier stay where they are. The previous holders' open sessions end, with
// $reason. The user is locked first: every change of who holds an employee's
// rights locks that employee.
OPTIONAL MATCH (u:User {id: $userId})
CALL (u) {
  WITH u WHERE u IS NOT NULL
  SET u._lock = true
  REMOVE u._lock
}
WITH u, CASE WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId} END AS problem
WITH u, problem, CASE
  WHEN problem IS NULL AND EXISTS { (:Licence)-[:ASSIGNED_TO]->(u) }
    THEN COLLECT {
      MATCH (h:User)-[r:HOLDS_RIGHTS_OF]->(u) WHERE h <> u
      RETURN {holder: h.id, workCompany: r.organisation} ORDER BY r.organisation, h.id
    }
  ELSE []
END AS restored
CALL (u, restored) {
  UNWIND restored AS x
  MATCH (:User {id: x.holder})-[r:HOLDS_RIGHTS_OF {organisation: x.workCompany}]->(u)
  DELETE r
}
CALL (restored) {
  UNWIND restored AS x
  WITH DISTINCT x.holder AS holderId
  MATCH (s:Session)-[:OF]->(:User {id: holderId}) WHERE s.invalidatedAt IS NULL
  SET s.invalidatedAt = $at, s.reason = $reason
}
RETURN problem, restored
