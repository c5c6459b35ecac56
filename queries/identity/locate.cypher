// Label and home environments of each id (unknown ids are left out). Whether a
// caller may see an entity is decided against the caller's reach (reach.cypher),
// in one place: graph_engine.services.visibility. Homes:
//   Environment: itself; User, Organisation, Relation: the one they are in;
//   Task, Subscription: their relation's; Dossier: its responsible user's;
//   Licence, ProcessMessage: their work company's; MaintenanceWindow, Application:
//   the environment they are FOR/TO; Partnership: both environments;
//   AuthorizationRequest, Invitation, PartnershipProposal: the environments of
//   everyone taking part. Sessions, API keys and anything else have none.
UNWIND $ids AS id
MATCH (n:Entity {id: id})
WITH n, CASE
  WHEN n:Environment THEN [n.id]
  WHEN n:User THEN COLLECT { MATCH (n)-[:MEMBER_OF]->(e:Environment) RETURN e.id }
  WHEN n:Organisation THEN COLLECT { MATCH (n)-[:BELONGS_TO]->(e:Environment) RETURN e.id }
  WHEN n:Relation THEN COLLECT { MATCH (n)-[:IN]->(e:Environment) RETURN e.id }
  WHEN n:Task THEN COLLECT { MATCH (n)-[:CONCERNS]->(:Relation)-[:IN]->(e:Environment) RETURN e.id }
  WHEN n:Subscription THEN COLLECT { MATCH (n)-[:OF]->(:Relation)-[:IN]->(e:Environment) RETURN e.id }
  WHEN n:Dossier THEN COLLECT { MATCH (n)-[:RESPONSIBLE]->(:User)-[:MEMBER_OF]->(e:Environment) RETURN e.id }
  WHEN n:Licence THEN COLLECT { MATCH (n)-[:VALID_IN]->(:Organisation)-[:BELONGS_TO]->(e:Environment) RETURN e.id }
  WHEN n:ProcessMessage THEN COLLECT { MATCH (n)-[:IN]->(:Organisation)-[:BELONGS_TO]->(e:Environment) RETURN e.id }
  WHEN n:MaintenanceWindow THEN COLLECT { MATCH (n)-[:FOR]->(e:Environment) RETURN e.id }
  WHEN n:Application THEN COLLECT { MATCH (n)-[:TO]->(e:Environment) RETURN e.id }
  WHEN n:Partnership THEN COLLECT { MATCH (n)-[:BETWEEN]->(e:Environment) RETURN DISTINCT e.id AS e ORDER BY e }
  WHEN n:AuthorizationRequest OR n:Invitation OR n:PartnershipProposal THEN COLLECT {
    MATCH (n)-[:SENT|INVITED|PROPOSED|TO|FOR]-(x) WHERE x:User OR x:Organisation
    MATCH (x)-[:MEMBER_OF|BELONGS_TO]->(e:Environment) RETURN DISTINCT e.id AS e ORDER BY e }
  ELSE []
END AS homes
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'Entity'][0] AS label, homes
