// Up to $limit undelivered messages (of one environment, or all): candidates for
// deliver_process_messages, which claims each one under its lock. One row with a
// list: ten thousand rows cost the Python driver far more than the query.
MATCH (m:ProcessMessage) WHERE m.pending = true
  AND ($environmentId IS NULL
       OR EXISTS { (m)-[:IN]->(:Organisation)-[:BELONGS_TO]->(:Environment {id: $environmentId}) })
WITH m LIMIT $limit
RETURN collect(m.id) AS ids
