// The emailDomain uniqueness constraint settles a race between two creators.
OPTIONAL MATCH (x:Environment {emailDomain: $emailDomain})
WITH x, CASE WHEN x IS NOT NULL
             THEN {kind: 'duplicate_domain', emailDomain: $emailDomain, environment: x.id} END AS problem
CALL (problem) {
  WITH * WHERE problem IS NULL
  CREATE (:Entity:Environment {id: $environmentId, name: $name, emailDomain: $emailDomain,
                               billing: $billing, seatLimit: $seatLimit, createdAt: $at})
}
OPTIONAL MATCH (e:Environment {id: $environmentId}) WHERE problem IS NULL
RETURN problem, e {.*} AS environment
