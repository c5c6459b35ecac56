// Adds a user; the first member of an environment becomes its ADMIN and an
// environment's seatLimit caps its active users. Both rules hang on the
// environment node, so it is locked (written to) before they are checked.
OPTIONAL MATCH (e:Environment {id: $environmentId})
OPTIONAL MATCH (x:User {email: $email})
CALL (e) {
  WITH e WHERE e IS NOT NULL
  SET e._lock = true REMOVE e._lock
}
WITH e, x,
     COUNT { (m:User)-[:MEMBER_OF]->(e) } AS members,
     COUNT { (m:User)-[:MEMBER_OF]->(e) WHERE coalesce(m.active, true) } AS active
WITH e, members, CASE
  WHEN e IS NULL THEN {kind: 'not_found', label: 'Environment', id: $environmentId}
  WHEN x IS NOT NULL THEN {kind: 'duplicate_email', email: $email}
  WHEN e.seatLimit IS NOT NULL AND active >= e.seatLimit
    THEN {kind: 'seat_limit', environment: e.id, limit: e.seatLimit}
END AS problem
CALL (e, members, problem) {
  WITH * WHERE problem IS NULL
  CREATE (u:Entity:User {id: $userId, email: $email, username: $username, name: $name,
                         active: true, loginBlocked: false, mailEnabled: true,
                         relationshipManager: false, passwordHash: $passwordHash, createdAt: $at})
  CREATE (u)-[:MEMBER_OF {role: CASE WHEN members = 0 THEN 'ADMIN' ELSE $role END}]->(e)
}
OPTIONAL MATCH (u:User {id: $userId})-[m:MEMBER_OF]->(ue:Environment) WHERE problem IS NULL
RETURN problem,
       u {.id, .email, .username, .name, .active, .loginBlocked, .mailEnabled,
          .relationshipManager, .createdAt, environment: ue.id, role: m.role} AS user
