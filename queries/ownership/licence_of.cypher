// The licence assigned to a user, if any.
MATCH (l:Licence)-[:ASSIGNED_TO]->(u:User {id: $userId})
RETURN l {.id, .number, passwordSet: EXISTS { (l)-[:ASSIGNED_TO]->(pu:User) WHERE pu.passwordHash IS NOT NULL }, .status, .startedAt, .cancelAt,
          workCompany: head(COLLECT { MATCH (l)-[:VALID_IN]->(w) RETURN w.id }),
          assignedTo: u.id} AS licence
