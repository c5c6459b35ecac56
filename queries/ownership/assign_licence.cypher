// Assign licence $number to a user in one work company: a new licence starts at $at,
// a released one keeps its start (the minimum term runs from it). A user has at
// most one licence and needs access to the work company. The user and the licence
// are locked, so two assignments cannot both pass the checks.
//
// Numbers are per environment: the licence of $number is the one valid in the user's
// environment (numberKey: environment id/number, unique); another environment's
// licence of the same number is not seen, and a new one is made beside it.
OPTIONAL MATCH (u:User {id: $userId})-[:MEMBER_OF]->(ue:Environment)
OPTIONAL MATCH (o:Organisation {id: $workCompanyId})-[:BELONGS_TO]->(oe:Environment)
OPTIONAL MATCH (l:Licence {number: $number})-[:VALID_IN]->(:Organisation)-[:BELONGS_TO]->(ue)
CALL (u, l) {
  WITH * WHERE u IS NOT NULL
  SET u._lock = true
  REMOVE u._lock
  WITH l WHERE l IS NOT NULL
  SET l._lock = true
  REMOVE l._lock
}
WITH u, ue, o, oe, l,
     head(COLLECT { MATCH (l)-[:ASSIGNED_TO]->(x:User) RETURN x }) AS holder,
     head(COLLECT { MATCH (x:Licence)-[:ASSIGNED_TO]->(u) RETURN x }) AS own
WITH u, ue, o, l, CASE
  WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId}
  WHEN o IS NULL THEN {kind: 'not_found', label: 'Organisation', id: $workCompanyId}
  WHEN oe <> ue THEN {kind: 'wrong_environment', label: 'Organisation', id: $workCompanyId, environment: ue.id}
  WHEN NOT coalesce(u.active, true) OR coalesce(u.loginBlocked, false) THEN {kind: 'user_inactive', user: $userId}
  WHEN NOT EXISTS { (u)-[:HAS_ACCESS]->(o) }
    THEN {kind: 'no_access_to_work_company', user: $userId, workCompanies: [$workCompanyId]}
  WHEN own IS NOT NULL AND (l IS NULL OR own <> l) THEN {kind: 'has_licence', user: $userId, number: own.number}
  WHEN l.status = 'CANCELLED' THEN {kind: 'licence_cancelled', number: $number}
  WHEN holder IS NOT NULL AND holder <> u THEN {kind: 'licence_assigned', number: $number, user: holder.id}
END AS problem
CALL (u, ue, o, l, problem) {
  WITH * WHERE problem IS NULL
  // CREATE, not MERGE: a concurrent assignment of the same new number in the same
  // environment then fails on the unique numberKey instead of taking the licence over.
  FOREACH (_ IN CASE WHEN l IS NULL THEN [1] ELSE [] END |
    CREATE (:Entity:Licence {id: $licenceId, number: $number, numberKey: ue.id + '/' + $number,
                             startedAt: $at}))
  WITH u, o, coalesce(l.id, $licenceId) AS licenceId
  MATCH (x:Licence {id: licenceId})
  SET x.status = 'ASSIGNED', x.assignedAt = $at
  REMOVE x.passwordSet
  WITH x, u, o
  CALL (x) {
    MATCH (x)-[old:VALID_IN|ASSIGNED_TO]->()
    DELETE old
  }
  CREATE (x)-[:VALID_IN]->(o), (x)-[:ASSIGNED_TO]->(u)
}
WITH problem
OPTIONAL MATCH (x:Licence)-[:ASSIGNED_TO]->(:User {id: $userId}) WHERE problem IS NULL
RETURN problem,
       x {.id, .number, passwordSet: EXISTS { (x)-[:ASSIGNED_TO]->(pu:User) WHERE pu.passwordHash IS NOT NULL }, .status, .startedAt, .cancelAt,
          workCompany: head(COLLECT { MATCH (x)-[:VALID_IN]->(w) RETURN w.id }),
          assignedTo: head(COLLECT { MATCH (x)-[:ASSIGNED_TO]->(a) RETURN a.id })} AS licence
