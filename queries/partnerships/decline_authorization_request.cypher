OPTIONAL MATCH (r:AuthorizationRequest {id: $requestId})
OPTIONAL MATCH (r)-[:TO]->(b:User)
OPTIONAL MATCH (a:User)-[:SENT]->(r)
OPTIONAL MATCH (r)-[:FOR]->(o:Organisation)
WITH r, a, b, o, CASE
  WHEN r IS NULL THEN {kind: 'not_found', label: 'AuthorizationRequest', id: $requestId}
  // Only the two parties know of it: the sender is told who answers, anyone else sees
  // no such request.
  WHEN b.id <> $userId AND a.id <> $userId
    THEN {kind: 'not_found', label: 'AuthorizationRequest', id: $requestId}
  WHEN b.id <> $userId
    THEN {kind: 'not_recipient', recipient: b.id, label: 'AuthorizationRequest', id: $requestId}
  WHEN NOT r.status IN ['PENDING', 'DECLINED']
    THEN {kind: 'already_decided', label: 'AuthorizationRequest', id: $requestId, status: r.status}
END AS problem
CALL (r, problem) {
  WITH * WHERE problem IS NULL AND r.status = 'PENDING'
  SET r.status = 'DECLINED', r.decidedAt = $at
}
RETURN problem, r {.*, sender: a.id, recipient: b.id, organisation: o.id} AS request
