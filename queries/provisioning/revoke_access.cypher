OPTIONAL MATCH (u:User {id: $userId})
OPTIONAL MATCH (o:Organisation {id: $organisationId})
WITH u, o, CASE
  WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId}
  WHEN o IS NULL THEN {kind: 'not_found', label: 'Organisation', id: $organisationId}
END AS problem
OPTIONAL MATCH (u)-[a:HAS_ACCESS]->(o) WHERE problem IS NULL
WITH problem, collect(a) AS found
FOREACH (a IN found | DELETE a)
RETURN problem, size(found) > 0 AS revoked
