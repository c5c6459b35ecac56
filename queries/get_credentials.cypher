// What login needs: the password hash, the account's state, its role and the open
// maintenance window of its environment.
MATCH (u:User {email: $email})
OPTIONAL MATCH (u)-[m:MEMBER_OF]->(e:Environment)
RETURN u.id AS id, u.passwordHash AS passwordHash,
       coalesce(u.active, true) AS active, coalesce(u.loginBlocked, false) AS loginBlocked,
       m.role AS role,
       head(COLLECT {
         MATCH (w:MaintenanceWindow)-[:FOR]->(e) WHERE w.endedAt IS NULL
         RETURN w {.id, .startsAt, .endedAt, .createdBy, .createdAt, environment: e.id}
       }) AS maintenance
