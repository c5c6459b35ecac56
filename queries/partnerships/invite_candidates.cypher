// Exactly the users the inviter may invite to the organisation (the set form of
// can_invite): nobody when the inviter fails rule 1; never the inviter; otherwise active,
// unblocked users without access to it who are either in its environment, or
// ADVANCED_USER/ADMIN in a partnered environment and connected with the inviter.
// Partner candidates are found through the inviter's connections, not by
// scanning partner environments.
// With $viewerId (the caller), the organisation must lie within the viewer's reach
// (reach.cypher's environments, folded in as in can_invite.cypher; else the same
// not_found as an unknown id) and so must every candidate's environment.
OPTIONAL MATCH (i:User {id: $inviterId})-[mi:MEMBER_OF]->(ei:Environment)
OPTIONAL MATCH (o:Organisation {id: $organisationId})-[:BELONGS_TO]->(eo:Environment)
OPTIONAL MATCH (v:User {id: $viewerId})-[:MEMBER_OF]->(ve:Environment)
WITH i, mi, ei, o, eo, CASE
  WHEN $viewerId IS NULL THEN null
  WHEN ve IS NULL THEN []
  ELSE [ve.id]
       + COLLECT { MATCH (ve)<-[:BETWEEN]-(:Partnership)-[:BETWEEN]->(pe:Environment)
                   WHERE pe <> ve RETURN pe.id }
       + COLLECT { MATCH (v)-[:HAS_ACCESS]->(:Organisation)-[:BELONGS_TO]->(ae:Environment)
                   RETURN ae.id }
END AS visible
WITH i, mi, ei, o, eo, visible, CASE
  WHEN i IS NULL THEN {kind: 'not_found', label: 'User', id: $inviterId}
  WHEN o IS NULL THEN {kind: 'not_found', label: 'Organisation', id: $organisationId}
  WHEN visible IS NOT NULL AND NOT eo.id IN visible
    THEN {kind: 'not_found', label: 'Organisation', id: $organisationId}
END AS problem
WITH i, o, eo, visible, problem,
     problem IS NULL
     AND coalesce(i.active, true) AND NOT coalesce(i.loginBlocked, false)
     AND ((ei = eo AND mi.role = 'ADMIN')
          OR EXISTS { (i)-[a:HAS_ACCESS]->(o) WHERE a.role IN ['ADMIN', 'ADVANCED_USER'] }) AS manages
RETURN problem, CASE WHEN NOT manages THEN [] ELSE COLLECT {
  CALL (i, eo) {
    MATCH (j:User)-[m:MEMBER_OF]->(eo)
    RETURN j, m, eo AS e
    UNION
    MATCH (i)-[:CONNECTED_WITH]-(j:User)-[m:MEMBER_OF]->(e:Environment)
    WHERE e <> eo AND m.role IN ['ADMIN', 'ADVANCED_USER']
      AND EXISTS { (e)<-[:BETWEEN]-(:Partnership)-[:BETWEEN]->(eo) }
    RETURN j, m, e
  }
  WITH j, m, e
  WHERE j <> i AND coalesce(j.active, true) AND NOT coalesce(j.loginBlocked, false)
    AND (visible IS NULL OR e.id IN visible)
    AND NOT EXISTS { (j)-[:HAS_ACCESS]->(o) }
    AND ($after IS NULL OR j.id > $after) AND ($before IS NULL OR j.id < $before)
    AND ($search IS NULL OR toLower(j.name) CONTAINS $search OR toLower(j.email) CONTAINS $search)
  RETURN j {.id, .email, .username, .name, .active, .loginBlocked, .mailEnabled,
            .relationshipManager, .createdAt, environment: e.id, role: m.role}
  ORDER BY CASE WHEN $backward THEN j.id END DESC, j.id LIMIT $limit
} END AS items
