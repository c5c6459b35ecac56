// A pending sign-up, by its token's hash or by id (the other parameter is null).
CALL () {
  MATCH (s:SignUp {tokenHash: $tokenHash}) RETURN s
  UNION
  MATCH (s:SignUp {id: $signUpId}) RETURN s
}
WITH s WHERE s.status = 'PENDING'
RETURN s {.id, .email, .name, .passwordHash, .status, .createdAt, .expiresAt,
          environment: head(COLLECT { MATCH (s)-[:TO]->(e:Environment) RETURN e.id })} AS signUp
