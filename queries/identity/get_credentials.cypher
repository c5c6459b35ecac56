// What login needs: the password hash, the account's state, its role, whether its
// environment bills per licence and the user holds one, and the open maintenance
// window of its environment.
MATCH (u:User {email: $email})
OPTIONAL MATCH (u)-[m:MEMBER_OF]->(e:Environment)
RETURN u.id AS id, u.passwordHash AS passwordHash,
       coalesce(u.active, true) AS active, coalesce(u.loginBlocked, false) AS loginBlocked,
       m.role AS role,
       coalesce(e.billing, 'PER_LICENCE') = 'PER_LICENCE' AS perLicence,
       EXISTS { (:Licence)-[:ASSIGNED_TO]->(u) } AS licensed,
       head(COLLECT {
         MATCH (w:MaintenanceWindow)-[:FOR]->(e) WHERE w.endedAt IS NULL
         RETURN w {.id, .startsAt, .expectedEndAt, .endedAt, .createdBy, .createdAt, environment: e.id}
       }) AS maintenance
