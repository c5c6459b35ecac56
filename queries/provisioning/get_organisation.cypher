MATCH (o:Organisation {id: $organisationId})-[:BELONGS_TO]->(e:Environment)
RETURN o {.*, environment: e.id} AS organisation
