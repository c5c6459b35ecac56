// One message of the outbox (a dead letter an operator sends again).
MATCH (m:OutboxMail {id: $mailId})
RETURN m {.*} AS mail
