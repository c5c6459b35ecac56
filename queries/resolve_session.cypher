// The caller behind a session token, read live on every request: the user's
// current role and status, when the session began and was last used, whether it
// was ended (and why), and the open maintenance window of the user's environment
// with whether the user saw its warning (one query per request).
MATCH (s:Session {tokenHash: $tokenHash})-[:OF]->(u:User)-[m:MEMBER_OF]->(e:Environment)
RETURN s.id AS session, s.invalidatedAt AS invalidatedAt, s.reason AS reason,
       s.createdAt AS startedAt, coalesce(s.lastSeenAt, s.createdAt) AS seenAt,
       u {.id, .email, .username, .name, .active, .loginBlocked, .mailEnabled,
          .relationshipManager, .createdAt, environment: e.id, role: m.role} AS user,
       head(COLLECT {
         MATCH (w:MaintenanceWindow)-[:FOR]->(e) WHERE w.endedAt IS NULL
         RETURN w {.id, .startsAt, .endedAt, .createdBy, .createdAt, environment: e.id,
                   warned: EXISTS { (u)-[:WARNED_OF]->(w) }}
       }) AS maintenance
