// Last statement of an invite, after can_invite allowed it in the same
// transaction: refuse a second pending invitation, then record the invitation.
// An invitee of the organisation's own environment gets access at once; a
// partner's invitation waits for their answer.
MATCH (i:User {id: $inviterId}), (j:User {id: $inviteeId}), (o:Organisation {id: $organisationId})
WITH i, j, o,
     head(COLLECT { MATCH (x:Invitation {status: 'PENDING'})-[:TO]->(j) WHERE (x)-[:FOR]->(o) RETURN x.id }) AS pending
WITH i, j, o, CASE WHEN pending IS NOT NULL
  THEN {kind: 'invitation_pending', user: $inviteeId, invitation: pending, organisation: $organisationId}
END AS problem
CALL (i, j, o, problem) {
  WITH * WHERE problem IS NULL
  CREATE (n:Entity:Invitation {id: $invitationId, role: $role, createdAt: $at,
                               status: CASE WHEN $atOnce THEN 'ACCEPTED' ELSE 'PENDING' END,
                               decidedAt: CASE WHEN $atOnce THEN $at END})
  CREATE (i)-[:INVITED]->(n), (n)-[:TO]->(j), (n)-[:FOR]->(o)
  FOREACH (_ IN CASE WHEN $atOnce THEN [1] ELSE [] END | CREATE (j)-[:HAS_ACCESS {role: $role}]->(o))
}
OPTIONAL MATCH (n:Invitation {id: $invitationId}) WHERE problem IS NULL
RETURN problem, n {.*, sender: $inviterId, recipient: $inviteeId, organisation: $organisationId} AS invitation
