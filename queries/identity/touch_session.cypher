// Note that a session was used (at most about once a minute: the idle timeout's clock).
MATCH (s:Session {id: $sessionId}) WHERE s.invalidatedAt IS NULL
SET s.lastSeenAt = $at
