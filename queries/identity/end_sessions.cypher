// End a user's open sessions with $reason: one ($sessionId), or all but $keep.
// Returns how many ended.
MATCH (s:Session)-[:OF]->(:User {id: $userId})
WHERE s.invalidatedAt IS NULL
  AND ($sessionId IS NULL OR s.id = $sessionId)
  AND ($keep IS NULL OR s.id <> $keep)
SET s.invalidatedAt = $at, s.reason = $reason
RETURN count(s) AS ended
