// Keep a message in the outbox (no SMTP server configured): operators read it.
CREATE (m:Entity:OutboxMail {id: $mailId, to: $to, subject: $subject, body: $body, createdAt: $at})
