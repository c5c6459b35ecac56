// Forget the failed logins of $keys (after a successful login or a password reset).
UNWIND $keys AS key
MATCH (t:LoginThrottle {id: key})
DETACH DELETE t
