// Up to $limit undelivered messages (of one environment, or all): candidates for
// deliver_process_messages, which claims each one under its lock.
MATCH (m:ProcessMessage) WHERE m.pending = true
  AND ($environmentId IS NULL
       OR EXISTS { (m)-[:IN]->(:Organisation)-[:BELONGS_TO]->(:Environment {id: $environmentId}) })
RETURN m.id AS id LIMIT $limit
