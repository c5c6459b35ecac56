// The organisations among $ids (unknown ids are left out), for batched lookups.
UNWIND $ids AS id
MATCH (o:Organisation {id: id})-[:BELONGS_TO]->(e:Environment)
RETURN o {.*, environment: e.id} AS organisation
