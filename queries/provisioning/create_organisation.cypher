OPTIONAL MATCH (e:Environment {id: $environmentId})
WITH e, CASE WHEN e IS NULL THEN {kind: 'not_found', label: 'Environment', id: $environmentId} END AS problem
CALL (e, problem) {
  WITH * WHERE problem IS NULL
  CREATE (:Entity:Organisation {id: $organisationId, name: $name, activatedSoftware: [],
                                createdAt: $at})-[:BELONGS_TO]->(e)
}
OPTIONAL MATCH (o:Organisation {id: $organisationId})-[:BELONGS_TO]->(oe:Environment) WHERE problem IS NULL
RETURN problem, o {.*, environment: oe.id} AS organisation
