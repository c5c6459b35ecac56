// Mail to username@emailDomain (DESIGN §3.3): an active user receives it; an
// inactive one's goes to the user they report to, if their mail settings are
// still on and that user is active; otherwise (settings removed, renamed, no
// such user) nobody receives it.
OPTIONAL MATCH (e:Environment {emailDomain: $emailDomain})
OPTIONAL MATCH (u:User {username: $username})-[m:MEMBER_OF]->(e)
OPTIONAL MATCH (u)-[:REPORTS_TO]->(r:User)-[rm:MEMBER_OF]->(re:Environment)
RETURN u {.id, .email, .username, .name, .active, .loginBlocked, .mailEnabled,
          .relationshipManager, .createdAt, environment: e.id, role: m.role} AS user,
       r {.id, .email, .username, .name, .active, .loginBlocked, .mailEnabled,
          .relationshipManager, .createdAt, environment: re.id, role: rm.role} AS manager,
       e.id AS environment
