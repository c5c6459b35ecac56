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
  WHEN NOT n.status IN ['PENDING', 'DECLINED']
    THEN {kind: 'already_decided', label: 'Invitation', id: $invitationId, status: n.status}
END AS problem
CALL (n, problem) {
  WITH * WHERE problem IS NULL AND n.status = 'PENDING'
  SET n.status = 'DECLINED', n.decidedAt = $at
}
RETURN problem, n {.*, inviter: i.id, invitee: j.id, organisation: o.id} AS invitation
