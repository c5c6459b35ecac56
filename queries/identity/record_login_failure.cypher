// Count a failed login on each counter of $keys ({id, free}): after `free` failures,
// each failure makes the next attempt wait twice as long, up to $cap seconds. A
// counter idle since $forgetBefore starts again. Each counter is locked before it is
// read, so concurrent failures (several workers) all count.
UNWIND $keys AS k
MERGE (t:Entity:LoginThrottle {id: k.id})
  ON CREATE SET t.failures = 0
SET t._lock = true REMOVE t._lock
WITH t, k, CASE WHEN t.lastFailureAt IS NULL OR t.lastFailureAt < $forgetBefore
                THEN 1 ELSE t.failures + 1 END AS failures
WITH t, failures, failures - k.free AS over
SET t.failures = failures, t.lastFailureAt = $at,
    t.blockedUntil = CASE WHEN over > 0
      THEN $at + duration({seconds: CASE WHEN over >= 30 OR 2 ^ over > $cap
                                         THEN $cap ELSE toInteger(2 ^ over) END})
      ELSE null END
RETURN max(failures) AS failures
