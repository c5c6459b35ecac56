// The caller behind a session token, read live on every request: the user's
// current role and status, when the session began and was last used, whether it
// was ended (and why), and the open maintenance window of the user's environment
// with whether the user saw its warning (one query per request). Times travel as
// ISO strings: the driver's own date-time type costs more to decode than the rest.
MATCH (s:Session {tokenHash: $tokenHash})-[:OF]->(u:User)-[m:MEMBER_OF]->(e:Environment)
RETURN s.id AS session, s.invalidatedAt IS NOT NULL AS invalidated, s.reason AS reason,
       toString(s.createdAt) AS startedAt, toString(coalesce(s.lastSeenAt, s.createdAt)) AS seenAt,
       u {.id, .email, .username, .name, .active, .loginBlocked, .mailEnabled,
          .relationshipManager, createdAt: toString(u.createdAt), environment: e.id,
          role: m.role} AS user,
       head(COLLECT {
         MATCH (w:MaintenanceWindow)-[:FOR]->(e) WHERE w.endedAt IS NULL
         RETURN w {.id, .createdBy, startsAt: toString(w.startsAt),
                   expectedEndAt: toString(w.expectedEndAt),
                   createdAt: toString(w.createdAt), environment: e.id,
                   warned: EXISTS { (u)-[:WARNED_OF]->(w) }}
       }) AS maintenance
