// Gives a user who never had a password a one-time activation token (only its hash is stored;
// a new token replaces an earlier one).
OPTIONAL MATCH (u:User {id: $userId})
WITH u, CASE
  WHEN u IS NULL THEN {kind: 'not_found', label: 'User', id: $userId}
  WHEN u.passwordHash IS NOT NULL THEN {kind: 'already_activated', user: u.id}
  // A password removed (licence release) is reset by its user, never set by an ADMIN.
  WHEN u.passwordRemovedAt IS NOT NULL THEN {kind: 'password_removed', user: u.id}
END AS problem
CALL (u, problem) {
  WITH * WHERE problem IS NULL
  SET u.activationTokenHash = $tokenHash, u.activationIssuedAt = $at
}
RETURN problem
