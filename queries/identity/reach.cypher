// The reach of a user (DESIGN §3.0), the one definition of "who sees what":
//   environments: the user's own, every environment partnered with it, and the
//     environment of each organisation the user has access to;
//   introduced: users outside those who addressed the user an authorization
//     request, an invitation or a partnership proposal (and, for an ADMIN, a
//     proposal to any user of the ADMIN's environment, which the ADMIN may answer).
// An unknown user reaches nothing.
OPTIONAL MATCH (v:User {id: $userId})-[m:MEMBER_OF]->(ve:Environment)
RETURN CASE WHEN ve IS NULL THEN [] ELSE
         [ve.id]
         + COLLECT { MATCH (ve)<-[:BETWEEN]-(:Partnership)-[:BETWEEN]->(pe:Environment)
                     WHERE pe <> ve RETURN pe.id }
         + COLLECT { MATCH (v)-[:HAS_ACCESS]->(:Organisation)-[:BELONGS_TO]->(ae:Environment)
                     RETURN ae.id }
       END AS environments,
       CASE WHEN ve IS NULL THEN [] ELSE
         COLLECT { MATCH (s:User)-[:SENT|INVITED|PROPOSED]->(x)-[:TO]->(v) RETURN s.id }
         + CASE WHEN m.role = 'ADMIN' THEN
             COLLECT { MATCH (s:User)-[:PROPOSED]->(:PartnershipProposal)-[:TO]->(:User)-[:MEMBER_OF]->(ve)
                       RETURN s.id }
           ELSE [] END
       END AS introduced
