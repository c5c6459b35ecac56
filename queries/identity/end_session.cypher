MATCH (s:Session {tokenHash: $tokenHash})
WHERE s.invalidatedAt IS NULL
SET s.invalidatedAt = $at, s.reason = $reason
RETURN count(s) AS ended
