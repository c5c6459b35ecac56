// A sign-up waits for proof of its address (DESIGN §3.1): until it is completed it
// is no user, holds no seat and no access, and shows nowhere but in its
// environment's ADMINs' list of sign-ups to approve. An address that has an
// account already gets no sign-up (the service mails that account's owner; the
// caller hears the same either way). Several pending sign-ups of one address may
// exist, each with its own token and password; the first completed wins.
OPTIONAL MATCH (x:User {email: $email})
OPTIONAL MATCH (e:Environment {emailDomain: $emailDomain})
CALL (x, e) {
  WITH * WHERE x IS NULL
  CREATE (s:Entity:SignUp {id: $signUpId, email: $email, name: $name, passwordHash: $passwordHash,
                           tokenHash: $tokenHash, status: 'PENDING', createdAt: $at,
                           expiresAt: $expiresAt})
  WITH s, e WHERE e IS NOT NULL
  CREATE (s)-[:TO]->(e)
}
RETURN x IS NOT NULL AS existing, e.id AS environment
