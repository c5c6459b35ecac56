// How long login must still wait (seconds; null: not at all), over the throttle
// counters named $keys (an account's and a client address's, hashed).
UNWIND $keys AS key
MATCH (t:LoginThrottle {id: key})
WHERE t.blockedUntil > $at
RETURN max(duration.inSeconds($at, t.blockedUntil).seconds) + 1 AS wait
