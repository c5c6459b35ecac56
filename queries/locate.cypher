// Label, home environment and visibility of each id. A viewer sees their own
// environment, the environments partnered with it, and the environments of
// organisations they have access to; without a viewer everything is visible.
// A relation lives in the environment it is IN; a task or subscription in its relation's.
OPTIONAL MATCH (v:User {id: $viewerId})-[:MEMBER_OF]->(ve:Environment)
WITH CASE
  WHEN $viewerId IS NULL THEN null
  WHEN ve IS NULL THEN []
  ELSE [ve.id]
       + COLLECT { MATCH (ve)<-[:BETWEEN]-(:Partnership)-[:BETWEEN]->(pe:Environment)
                   WHERE pe <> ve RETURN pe.id }
       + COLLECT { MATCH (v)-[:HAS_ACCESS]->(:Organisation)-[:BELONGS_TO]->(ae:Environment)
                   RETURN ae.id }
END AS visible
UNWIND $ids AS id
MATCH (n:Entity {id: id})
WITH n, visible, CASE
  WHEN n:Environment THEN n.id
  WHEN n:User THEN COLLECT { MATCH (n)-[:MEMBER_OF]->(e:Environment) RETURN e.id }[0]
  WHEN n:Organisation THEN COLLECT { MATCH (n)-[:BELONGS_TO]->(e:Environment) RETURN e.id }[0]
  WHEN n:Relation THEN COLLECT { MATCH (n)-[:IN]->(e:Environment) RETURN e.id }[0]
  WHEN n:Task THEN COLLECT { MATCH (n)-[:CONCERNS]->(:Relation)-[:IN]->(e:Environment) RETURN e.id }[0]
  WHEN n:Subscription THEN COLLECT { MATCH (n)-[:OF]->(:Relation)-[:IN]->(e:Environment) RETURN e.id }[0]
END AS environment
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS label, environment,
       visible IS NULL OR (environment IS NOT NULL AND environment IN visible) AS visible
