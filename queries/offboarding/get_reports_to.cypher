MATCH (u:User {id: $userId})-[:REPORTS_TO]->(r:User)
RETURN r.id AS managerId
