// A job application from a public form: no login, so no caller to check.
OPTIONAL MATCH (e:Environment {id: $environmentId})
WITH e, CASE WHEN e IS NULL THEN {kind: 'not_found', label: 'Environment', id: $environmentId}
        END AS problem
CALL (e, problem) {
  WITH * WHERE problem IS NULL
  CREATE (:Entity:Application {id: $applicationId, name: $name, email: $email,
                               createdAt: $at})-[:TO]->(e)
}
RETURN problem
