// The access of each user among $ids (unknown ids are left out), for batched lookups.
UNWIND $ids AS id
MATCH (u:User {id: id})
RETURN u.id AS user,
       COLLECT {
         MATCH (u)-[a:HAS_ACCESS]->(o:Organisation)
         RETURN {organisation: o.id, role: a.role} ORDER BY o.id
       } AS items
