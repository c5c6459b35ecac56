// A user's open sessions, by id.
MATCH (s:Session)-[:OF]->(:User {id: $userId})
WHERE s.invalidatedAt IS NULL AND ($after IS NULL OR s.id > $after)
RETURN s {.id, .createdAt, .invalidatedAt, .reason, lastSeenAt: coalesce(s.lastSeenAt, s.createdAt),
          user: $userId} AS session
ORDER BY s.id LIMIT $limit
