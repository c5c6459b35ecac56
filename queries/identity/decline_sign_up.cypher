// An ADMIN declines a pending sign-up addressed to their environment: it ends, its
// secrets go. False when there is no such pending sign-up.
OPTIONAL MATCH (s:SignUp {id: $signUpId})-[:TO]->(:Environment {id: $environmentId})
SET s._lock = true REMOVE s._lock
WITH s
CALL (s) {
  WITH s WHERE s IS NOT NULL AND s.status = 'PENDING'
  SET s.status = 'DECLINED', s.decidedAt = $at
  REMOVE s.passwordHash, s.tokenHash
  RETURN true AS declined
  UNION
  WITH s WHERE s IS NULL OR s.status <> 'PENDING'
  RETURN false AS declined
}
RETURN declined
