MATCH (e:Environment {id: $environmentId})
RETURN e {.*} AS environment
