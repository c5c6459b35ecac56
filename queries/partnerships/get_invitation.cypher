MATCH (i:User)-[:INVITED]->(n:Invitation {id: $invitationId})-[:TO]->(j:User)
MATCH (n)-[:FOR]->(o:Organisation)
RETURN n {.*, inviter: i.id, invitee: j.id, organisation: o.id} AS invitation
