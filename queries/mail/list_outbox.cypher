// The outbox, by id; $to (lowercase) keeps the messages to one address.
MATCH (m:OutboxMail)
WHERE ($to IS NULL OR toLower(m.to) = $to) AND ($after IS NULL OR m.id > $after)
  AND ($before IS NULL OR m.id < $before)
RETURN m {.*} AS mail
ORDER BY CASE WHEN $backward THEN m.id END DESC, m.id LIMIT $limit
