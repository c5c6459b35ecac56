// Join the environment of the email's domain as USER, or found it as its ADMIN.
// MERGE on the unique emailDomain makes two simultaneous founders agree on one
// environment; the environment is then locked for the first-member and seat rules.
OPTIONAL MATCH (x:User {email: $email})
CALL (x) {
  WITH x WHERE x IS NULL
  MERGE (e:Environment {emailDomain: $emailDomain})
    ON CREATE SET e:Entity, e.id = $environmentId, e.name = $environmentName,
                  e.billing = 'PER_LICENCE', e.createdAt = $at
  SET e._lock = true REMOVE e._lock
}
OPTIONAL MATCH (e:Environment {emailDomain: $emailDomain}) WHERE x IS NULL
WITH e, x,
     COUNT { (m:User)-[:MEMBER_OF]->(e) } AS members,
     COUNT { (m:User)-[:MEMBER_OF]->(e) WHERE coalesce(m.active, true) } AS active
WITH e, members, CASE
  WHEN x IS NOT NULL THEN {kind: 'duplicate_email', email: $email}
  WHEN e.seatLimit IS NOT NULL AND active >= e.seatLimit
    THEN {kind: 'seat_limit', environment: e.id, limit: e.seatLimit}
END AS problem
CALL (e, members, problem) {
  WITH * WHERE problem IS NULL
  CREATE (u:Entity:User {id: $userId, email: $email, username: $username, name: $name,
                         active: true, loginBlocked: false, mailEnabled: true,
                         relationshipManager: false, passwordHash: $passwordHash, createdAt: $at})
  CREATE (u)-[:MEMBER_OF {role: CASE WHEN members = 0 THEN 'ADMIN' ELSE 'USER' END}]->(e)
}
OPTIONAL MATCH (u:User {id: $userId})-[m:MEMBER_OF]->(ue:Environment) WHERE problem IS NULL
RETURN problem,
       u {.id, .email, .username, .name, .active, .loginBlocked, .mailEnabled,
          .relationshipManager, .createdAt, environment: ue.id, role: m.role} AS user
