OPTIONAL MATCH (n:Invitation {id: $invitationId})
OPTIONAL MATCH (n)-[:TO]->(j:User)
OPTIONAL MATCH (i:User)-[:INVITED]->(n)
OPTIONAL MATCH (n)-[:FOR]->(o:Organisation)
WITH n, i, j, o, CASE
  WHEN n IS NULL THEN {kind: 'not_found', label: 'Invitation', id: $invitationId}
  // Only the two parties know of it: the inviter is told who answers, anyone else
  // sees no such invitation.
  WHEN j.id <> $userId AND i.id <> $userId
    THEN {kind: 'not_found', label: 'Invitation', id: $invitationId}
  WHEN j.id <> $userId THEN {kind: 'not_recipient', recipient: j.id, label: 'Invitation', id: $invitationId}
  WHEN NOT n.status IN ['PENDING', 'ACCEPTED']
    THEN {kind: 'already_decided', label: 'Invitation', id: $invitationId, status: n.status}
  WHEN n.status = 'PENDING' AND (NOT coalesce(j.active, true) OR coalesce(j.loginBlocked, false))
    THEN {kind: 'user_inactive', user: $userId}
END AS problem
CALL (n, j, o, problem) {
  WITH * WHERE problem IS NULL AND n.status = 'PENDING'
  SET j._lock = true REMOVE j._lock
  MERGE (j)-[a:HAS_ACCESS]->(o) ON CREATE SET a.role = n.role
  SET n.status = 'ACCEPTED', n.decidedAt = $at
}
RETURN problem, n {.*, sender: i.id, recipient: j.id, organisation: o.id} AS invitation
