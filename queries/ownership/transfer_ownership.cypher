// Move the ownership rights held by $fromId (all, or those of $employeeIds) to $toId
// in every work company (or in $workCompanyIds), all or nothing (DESIGN §3.2).
// An employee with access to a work company and no incoming HOLDS_RIGHTS_OF for it
// holds their own rights there: the default is implied, never stored. Both users,
// then every employee whose rights $fromId holds, are locked before anything is read.
OPTIONAL MATCH (f:User {id: $fromId})-[:MEMBER_OF]->(fe:Environment)
OPTIONAL MATCH (t:User {id: $toId})-[:MEMBER_OF]->(te:Environment)
CALL (f, t) {
  WITH * WHERE f IS NOT NULL AND t IS NOT NULL
  SET f._lock = true, t._lock = true
  REMOVE f._lock, t._lock
  WITH f
  UNWIND COLLECT { MATCH (f)-[:HOLDS_RIGHTS_OF]->(e:User) RETURN DISTINCT e } AS e
  SET e._lock = true
  REMOVE e._lock
}
WITH f, fe, t, te,
     [id IN coalesce($employeeIds, []) WHERE NOT EXISTS { MATCH (:User {id: id}) }] AS unknownEmployees,
     [id IN coalesce($workCompanyIds, []) WHERE NOT EXISTS { MATCH (:Organisation {id: id}) }] AS unknownCompanies,
     [id IN coalesce($workCompanyIds, [])
        WHERE NOT EXISTS { MATCH (:Organisation {id: id})-[:BELONGS_TO]->(x:Environment) WHERE x = fe }] AS foreignCompanies
WITH f, t, CASE
  WHEN f IS NULL THEN {kind: 'not_found', label: 'User', id: $fromId}
  WHEN t IS NULL THEN {kind: 'not_found', label: 'User', id: $toId}
  WHEN size(unknownEmployees) > 0 THEN {kind: 'not_found', label: 'User', id: unknownEmployees[0]}
  WHEN size(unknownCompanies) > 0 THEN {kind: 'not_found', label: 'Organisation', id: unknownCompanies[0]}
  WHEN te <> fe THEN {kind: 'wrong_environment', label: 'User', id: $toId, environment: fe.id}
  WHEN size(foreignCompanies) > 0
    THEN {kind: 'wrong_environment', label: 'Organisation', id: foreignCompanies[0], environment: fe.id}
  WHEN NOT coalesce(t.active, true) OR coalesce(t.loginBlocked, false) THEN {kind: 'user_inactive', user: $toId}
END AS problem
// What $fromId holds: rights of others (edges), and their own where nobody else holds them.
WITH f, t, problem, CASE WHEN problem IS NOT NULL THEN [] ELSE
     [(f)-[r:HOLDS_RIGHTS_OF]->(e:User)
        WHERE EXISTS { (e)-[:HAS_ACCESS]->(:Organisation {id: r.organisation}) }
        | {employee: e.id, workCompany: r.organisation}]
   + [(f)-[:HAS_ACCESS]->(o:Organisation)
        WHERE NOT EXISTS { (:User)-[:HOLDS_RIGHTS_OF {organisation: o.id}]->(f) }
        | {employee: f.id, workCompany: o.id}] END AS held
WITH f, t, problem,
     [h IN held WHERE ($employeeIds IS NULL OR h.employee IN $employeeIds)
                  AND ($workCompanyIds IS NULL OR h.workCompany IN $workCompanyIds)] AS moving
WITH f, t, problem, moving,
     COLLECT {
       UNWIND coalesce($employeeIds, []) AS id
       WITH DISTINCT id WHERE NONE(h IN moving WHERE h.employee = id)
       RETURN id ORDER BY id
     } AS notHeld,
     COLLECT {
       UNWIND CASE WHEN $workCompanyIds IS NULL THEN [h IN moving | h.workCompany]
                   ELSE $workCompanyIds END AS c
       WITH DISTINCT c WHERE NOT EXISTS { (t)-[:HAS_ACCESS]->(:Organisation {id: c}) }
       RETURN c ORDER BY c
     } AS noAccess
WITH f, t, moving, coalesce(problem, CASE
  WHEN size(notHeld) > 0 THEN {kind: 'not_holder', user: $fromId, employees: notHeld}
  WHEN size(noAccess) > 0 THEN {kind: 'no_access_to_work_company', user: $toId, workCompanies: noAccess}
END) AS problem
CALL (t, moving, problem) {
  WITH * WHERE problem IS NULL
  UNWIND moving AS h
  MATCH (e:User {id: h.employee})
  OPTIONAL MATCH (:User)-[r:HOLDS_RIGHTS_OF {organisation: h.workCompany}]->(e)
  DELETE r
  WITH t, e, h WHERE t <> e
  CREATE (t)-[:HOLDS_RIGHTS_OF {organisation: h.workCompany, since: $at}]->(e)
}
CALL (f, t, moving, problem) {
  WITH * WHERE problem IS NULL AND $invalidate AND size(moving) > 0 AND f <> t
  MATCH (s:Session)-[:OF]->(f) WHERE s.invalidatedAt IS NULL
  SET s.invalidatedAt = $at, s.reason = $reason
  RETURN count(s) AS invalidated
}
RETURN problem, moving, invalidated
