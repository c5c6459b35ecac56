// Turn a pending sign-up into an account: its address was proven (the mailed token,
// with the password chosen at sign-up) or an ADMIN of the environment approved it
// ($environmentOf: then the sign-up must be addressed to that environment). The
// account joins the environment of the email's domain as USER without access, or
// founds it as its ADMIN; a founded environment is billed per processed hour (no
// licence contract yet). The sign-up is locked, so it completes once; MERGE on the
// unique emailDomain makes two simultaneous founders agree on one environment,
// which is then locked for the first-member and seat rules. Completing strips the
// sign-up's secrets and supersedes the address's other pending sign-ups.
OPTIONAL MATCH (s:SignUp {id: $signUpId})
SET s._lock = true REMOVE s._lock
WITH s
OPTIONAL MATCH (x:User {email: s.email})
WITH s, CASE
  WHEN s IS NULL OR s.status <> 'PENDING' THEN {kind: 'not_found', label: 'SignUp', id: $signUpId}
  WHEN $environmentOf IS NOT NULL AND NOT EXISTS { (s)-[:TO]->(:Environment {id: $environmentOf}) }
    THEN {kind: 'not_found', label: 'SignUp', id: $signUpId}
  WHEN x IS NOT NULL THEN {kind: 'duplicate_email', email: s.email}
END AS early
CALL (early) {
  WITH * WHERE early IS NULL
  MERGE (e:Environment {emailDomain: $emailDomain})
    ON CREATE SET e:Entity, e.id = $environmentId, e.name = $environmentName,
                  e.billing = 'PER_PROCESSED_HOUR', e.createdAt = $at
  SET e._lock = true REMOVE e._lock
}
OPTIONAL MATCH (e:Environment {emailDomain: $emailDomain}) WHERE early IS NULL
WITH s, e, early,
     COUNT { (m:User)-[:MEMBER_OF]->(e) } AS members,
     COUNT { (m:User)-[:MEMBER_OF]->(e) WHERE coalesce(m.active, true) } AS active
WITH s, e, members, CASE
  WHEN early IS NOT NULL THEN early
  WHEN e.seatLimit IS NOT NULL AND active >= e.seatLimit
    THEN {kind: 'seat_limit', environment: e.id, limit: e.seatLimit}
  WHEN EXISTS { (y:User {username: $username})-[:MEMBER_OF]->(e) }
    THEN {kind: 'duplicate_username', username: $username, environment: e.id}
END AS problem
CALL (s, e, members, problem) {
  WITH * WHERE problem IS NULL
  CREATE (u:Entity:User {id: $userId, email: s.email, username: $username, name: s.name,
                         active: true, loginBlocked: false, mailEnabled: true,
                         relationshipManager: false, passwordHash: s.passwordHash, createdAt: $at})
  CREATE (u)-[:MEMBER_OF {role: CASE WHEN members = 0 THEN 'ADMIN' ELSE 'USER' END}]->(e)
  SET s.status = 'COMPLETED', s.decidedAt = $at, s.decidedBy = $decidedBy, s.user = $userId
  REMOVE s.passwordHash, s.tokenHash
  WITH s
  CALL (s) {
    MATCH (o:SignUp {email: s.email}) WHERE o <> s AND o.status = 'PENDING'
    SET o.status = 'SUPERSEDED', o.decidedAt = $at
    REMOVE o.passwordHash, o.tokenHash
  }
}
OPTIONAL MATCH (u:User {id: $userId})-[m:MEMBER_OF]->(ue:Environment) WHERE problem IS NULL
RETURN problem,
       u {.id, .email, .username, .name, .active, .loginBlocked, .mailEnabled,
          .relationshipManager, .createdAt, environment: ue.id, role: m.role} AS user
