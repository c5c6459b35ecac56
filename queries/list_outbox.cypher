// The outbox, by id; $to (lowercase) keeps the messages to one address.
MATCH (m:OutboxMail)
WHERE ($to IS NULL OR toLower(m.to) = $to) AND ($after IS NULL OR m.id > $after)
RETURN m {.*} AS mail
ORDER BY m.id LIMIT $limit
