// Take a message out of the outbox once it was sent at last; removed: whether it was in.
OPTIONAL MATCH (m:OutboxMail {id: $mailId})
WITH m, m IS NOT NULL AS removed
DETACH DELETE m
RETURN removed
