// A new password hash for a user (the caller checked the old one and the policy).
MATCH (u:User {id: $userId})
SET u.passwordHash = $passwordHash, u.passwordChangedAt = $at
RETURN u.id AS id
