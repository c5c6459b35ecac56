// Give the account of an address a one-time password-reset token (replacing any
// earlier one). Nothing happens for an address without an account.
MATCH (u:User {email: $email})
SET u.resetTokenHash = $tokenHash, u.resetIssuedAt = $at
RETURN u.id AS id, u.name AS name
