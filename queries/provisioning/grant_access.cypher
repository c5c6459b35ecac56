// Access for a user of the organisation's own environment (partner users get it
// by accepting an invitation). The user is locked so the MERGE stays single.
OPTIONAL MATCH (u:User {id: $userId})-[:MEMBER_OF]->(ue:Environment)
OPTIONAL MATCH (o:Organisation {id: $organisationId})-[:BELONGS_TO]->(oe:Environment)
WITH u, o, CASE
  WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId}
  WHEN o IS NULL THEN {kind: 'not_found', label: 'Organisation', id: $organisationId}
  WHEN ue <> oe THEN {kind: 'access_across_environments', user: $userId, organisation: $organisationId}
  WHEN NOT coalesce(u.active, true) OR coalesce(u.loginBlocked, false)
    THEN {kind: 'user_inactive', user: $userId}
END AS problem
CALL (u, o, problem) {
  WITH * WHERE problem IS NULL
  SET u._lock = true REMOVE u._lock
  MERGE (u)-[a:HAS_ACCESS]->(o)
  SET a.role = $role
}
RETURN problem
