// Release the user's licence: the assignment goes, and so does the password (the
// user's hash itself, not a flag) and every open session, which ends with $reason;
// the licence can then be reassigned or cancelled, and the user needs a new password
// (requestPasswordReset, mailed to them) to log in again. Refused while the user still holds
// ownership rights anywhere (their own, or others'), naming those work companies.
OPTIONAL MATCH (u:User {id: $userId})
CALL (u) {
  WITH u WHERE u IS NOT NULL
  SET u._lock = true
  REMOVE u._lock
}
WITH u, head(COLLECT { MATCH (x:Licence)-[:ASSIGNED_TO]->(u) RETURN x }) AS l,
     COLLECT {
       CALL (u) {
         MATCH (u)-[r:HOLDS_RIGHTS_OF]->(e:User)
         WHERE EXISTS { (e)-[:HAS_ACCESS]->(:Organisation {id: r.organisation}) }
         RETURN r.organisation AS c
         UNION
         MATCH (u)-[:HAS_ACCESS]->(o:Organisation)
         WHERE NOT EXISTS { (:User)-[:HOLDS_RIGHTS_OF {organisation: o.id}]->(u) }
         RETURN o.id AS c
       }
       RETURN c ORDER BY c
     } AS companies
WITH u, l, CASE
  WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId}
  WHEN l IS NULL THEN {kind: 'no_licence', user: $userId}
  WHEN size(companies) > 0 THEN {kind: 'holds_rights', user: $userId, workCompanies: companies}
END AS problem
CALL (u, l, problem) {
  WITH * WHERE problem IS NULL
  SET l._lock = true
  REMOVE l._lock
  WITH u, l
  MATCH (l)-[a:ASSIGNED_TO]->(u)
  DELETE a
  SET l.status = 'RELEASED', l.releasedAt = $at
  REMOVE l.passwordSet, u.passwordHash
  // Marked, so that no ADMIN can give the account a password of their choosing through
  // an activation token (set_activation_token.cypher): the user resets it themself.
  SET u.passwordRemovedAt = $at
  WITH u
  CALL (u) {
    MATCH (s:Session)-[:OF]->(u) WHERE s.invalidatedAt IS NULL
    SET s.invalidatedAt = $at, s.reason = $reason
  }
}
RETURN problem,
       l {.id, .number, passwordSet: EXISTS { (l)-[:ASSIGNED_TO]->(pu:User) WHERE pu.passwordHash IS NOT NULL }, .status, .startedAt, .cancelAt,
          workCompany: head(COLLECT { MATCH (l)-[:VALID_IN]->(w) RETURN w.id }),
          assignedTo: head(COLLECT { MATCH (l)-[:ASSIGNED_TO]->(a) RETURN a.id })} AS licence
