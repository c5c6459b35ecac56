MATCH (u:User {email: $email})
RETURN u.id AS id, u.passwordHash AS passwordHash,
       coalesce(u.active, true) AS active, coalesce(u.loginBlocked, false) AS loginBlocked
