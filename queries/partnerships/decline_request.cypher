// A request that waits for an answer, declined by its recipient: an invitation or an
// authorization request ($label and $sent from the store's fixed list of kinds,
// store/neo4j/partnerships_requests.py; a partnership proposal is answered either way
// by answer_partnership_proposal.cypher). Only the two parties know of it: the sender
// is told who answers, anyone else sees no such request. Declining again changes
// nothing; a request accepted already stays so.
OPTIONAL MATCH (r:Entity {id: $requestId}) WHERE $label IN labels(r)
OPTIONAL MATCH (r)-[:TO]->(b:User)
OPTIONAL MATCH (a:User)-[s:INVITED|SENT|PROPOSED]->(r) WHERE type(s) = $sent
OPTIONAL MATCH (r)-[:FOR]->(o:Organisation)
WITH r, a, b, o, CASE
  WHEN r IS NULL THEN {kind: 'not_found', label: $label, id: $requestId}
  WHEN b.id <> $userId AND a.id <> $userId THEN {kind: 'not_found', label: $label, id: $requestId}
  WHEN b.id <> $userId THEN {kind: 'not_recipient', recipient: b.id, label: $label, id: $requestId}
  WHEN NOT r.status IN ['PENDING', 'DECLINED']
    THEN {kind: 'already_decided', label: $label, id: $requestId, status: r.status}
END AS problem
CALL (r, problem) {
  WITH * WHERE problem IS NULL AND r.status = 'PENDING'
  SET r.status = 'DECLINED', r.decidedAt = $at
}
RETURN problem, r {.*, sender: a.id, recipient: b.id, organisation: o.id} AS request
