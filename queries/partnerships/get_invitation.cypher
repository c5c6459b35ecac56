MATCH (i:User)-[:INVITED]->(n:Invitation {id: $invitationId})-[:TO]->(j:User)
MATCH (n)-[:FOR]->(o:Organisation)
RETURN n {.*, sender: i.id, recipient: j.id, organisation: o.id} AS invitation
