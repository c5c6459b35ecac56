// A user's open sessions, by id.
MATCH (s:Session)-[:OF]->(:User {id: $userId})
WHERE s.invalidatedAt IS NULL AND ($after IS NULL OR s.id > $after) AND ($before IS NULL OR s.id < $before)
RETURN s {.id, .createdAt, .invalidatedAt, .reason, lastSeenAt: coalesce(s.lastSeenAt, s.createdAt),
          user: $userId} AS session
ORDER BY CASE WHEN $backward THEN s.id END DESC, s.id LIMIT $limit
