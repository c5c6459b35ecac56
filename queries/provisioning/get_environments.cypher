// The environments among $ids (unknown ids are left out), for batched lookups.
UNWIND $ids AS id
MATCH (e:Environment {id: id})
RETURN e {.*} AS environment
