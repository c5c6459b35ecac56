// Invite eligibility (DESIGN §3.1): may inviter I invite invitee J to
// organisation O? Checks run in order and the first that fails names the code:
//   0. I is not J (a user cannot invite themself: SELF_INVITE, whatever I's standing);
//   1. I active, not login-blocked, ADMIN of O's environment or ADVANCED_USER/ADMIN access to O;
//   2. J active, not login-blocked, no access to O yet;
//   3. J in O's environment; or J's environment partnered with O's, J ADVANCED_USER/ADMIN
//      in their own environment, and I and J connected.
// Returned with the code are the facts that decided, growing with each stage
// reached: I's standing (1), J's (2), then partnership and connection (3).
// With $viewerId (the caller), the invitee and the organisation must also be
// within the viewer's reach (reach.cypher's environments, folded in here to save
// the API a round trip; tests/conformance/test_visibility.py proves the two agree).
// Outside it is the same not_found as an unknown id, before anything is decided.
// Without a viewer nothing is checked (internal use).
OPTIONAL MATCH (i:User {id: $inviterId})-[mi:MEMBER_OF]->(ei:Environment)
OPTIONAL MATCH (j:User {id: $inviteeId})-[mj:MEMBER_OF]->(ej:Environment)
OPTIONAL MATCH (o:Organisation {id: $organisationId})-[bo:BELONGS_TO]->(eo:Environment)
OPTIONAL MATCH (v:User {id: $viewerId})-[:MEMBER_OF]->(ve:Environment)
WITH i, mi, ei, j, mj, ej, o, bo, eo, CASE
  WHEN $viewerId IS NULL THEN null
  WHEN ve IS NULL THEN []
  ELSE [ve.id]
       + COLLECT { MATCH (ve)<-[:BETWEEN]-(:Partnership)-[:BETWEEN]->(pe:Environment)
                   WHERE pe <> ve RETURN pe.id }
       + COLLECT { MATCH (v)-[:HAS_ACCESS]->(:Organisation)-[:BELONGS_TO]->(ae:Environment)
                   RETURN ae.id }
END AS visible
WITH i, mi, ei, j, mj, ej, o, bo, eo, visible,
     head(COLLECT { MATCH (i)-[a:HAS_ACCESS]->(o) RETURN a }) AS ai,
     head(COLLECT { MATCH (j)-[a:HAS_ACCESS]->(o) RETURN a }) AS aj,
     head(COLLECT { MATCH (ej)<-[:BETWEEN]-(p:Partnership)-[:BETWEEN]->(eo) WHERE ej <> eo RETURN p }) AS p,
     head(COLLECT { MATCH (i)-[c:CONNECTED_WITH]-(j) RETURN c }) AS c
WITH *, CASE
  WHEN i IS NULL THEN {kind: 'not_found', label: 'User', id: $inviterId}
  WHEN j IS NULL THEN {kind: 'not_found', label: 'User', id: $inviteeId}
  WHEN visible IS NOT NULL AND NOT ej.id IN visible
    THEN {kind: 'not_found', label: 'User', id: $inviteeId}
  WHEN o IS NULL THEN {kind: 'not_found', label: 'Organisation', id: $organisationId}
  WHEN visible IS NOT NULL AND NOT eo.id IN visible
    THEN {kind: 'not_found', label: 'Organisation', id: $organisationId}
END AS problem
WITH *, CASE
  WHEN problem IS NOT NULL THEN null
  WHEN i = j THEN 'SELF_INVITE'
  WHEN NOT coalesce(i.active, true) THEN 'INVITER_INACTIVE'
  WHEN coalesce(i.loginBlocked, false) THEN 'INVITER_LOGIN_BLOCKED'
  WHEN NOT ((ei = eo AND mi.role = 'ADMIN') OR (ai IS NOT NULL AND ai.role IN ['ADMIN', 'ADVANCED_USER']))
    THEN 'INVITER_NOT_AUTHORISED'
  WHEN NOT coalesce(j.active, true) THEN 'INVITEE_INACTIVE'
  WHEN coalesce(j.loginBlocked, false) THEN 'INVITEE_LOGIN_BLOCKED'
  WHEN aj IS NOT NULL THEN 'ALREADY_HAS_ACCESS'
  WHEN ej = eo THEN 'SAME_ENVIRONMENT'
  WHEN p IS NULL THEN 'NO_PARTNERSHIP'
  WHEN NOT mj.role IN ['ADMIN', 'ADVANCED_USER'] THEN 'INVITEE_ROLE_TOO_LOW'
  WHEN c IS NULL THEN 'NOT_CONNECTED'
  ELSE 'PARTNER_CONNECTED'
END AS code
WITH *, CASE
  WHEN code STARTS WITH 'INVITER_' OR code = 'SELF_INVITE' THEN 1
  WHEN code IN ['INVITEE_INACTIVE', 'INVITEE_LOGIN_BLOCKED', 'ALREADY_HAS_ACCESS', 'SAME_ENVIRONMENT'] THEN 2
  ELSE 3
END AS stage
WITH problem, code,
     [i, ei, o, eo]
       + CASE WHEN stage >= 2 THEN [j, ej] ELSE [] END
       + CASE WHEN stage >= 3 AND p IS NOT NULL THEN [p] ELSE [] END AS nodes,
     [mi, bo, ai]
       + CASE WHEN stage >= 2 THEN [mj, aj] ELSE [] END
       + CASE WHEN stage >= 3 AND p IS NOT NULL
              THEN COLLECT { MATCH (p)-[b:BETWEEN]->(e:Environment) WHERE e IN [ej, eo] RETURN b }
              ELSE [] END
       + CASE WHEN stage >= 3 THEN [c] ELSE [] END AS rels
RETURN problem, code,
       [n IN nodes WHERE n IS NOT NULL |
         {id: n.id, label: [l IN labels(n) WHERE l <> 'Entity'][0], name: n.name}] AS nodes,
       [r IN rels WHERE r IS NOT NULL |
         {type: type(r), start: startNode(r).id, end: endNode(r).id, role: r.role}] AS relationships
