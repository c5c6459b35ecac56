MATCH (a:User)-[:SENT]->(r:AuthorizationRequest {id: $requestId})-[:TO]->(b:User)
MATCH (r)-[:FOR]->(o:Organisation)
RETURN r {.*, sender: a.id, recipient: b.id, organisation: o.id} AS request
