// Ask to cancel a released licence. Minimum term 12 months from its start, after
// that per week: effective at the later of start + 12 months and the first week
// boundary (Monday 00:00, in the zone of $at, which the service gives in UTC)
// after the request. On a per-processed-hour contract no cancellation is needed,
// and nothing is written. Asking again returns the date already set. Numbers are
// per environment: with $environmentId (an ADMIN's) only that environment's licence
// is found; without (an operator's) a number several environments use is ambiguous.
OPTIONAL MATCH (l:Licence {number: $number})-[:VALID_IN]->(:Organisation)-[:BELONGS_TO]->(le:Environment)
WHERE $environmentId IS NULL OR le.id = $environmentId
WITH collect(l) AS found
WITH CASE WHEN size(found) = 1 THEN found[0] END AS l, size(found) > 1 AS ambiguous
CALL (l) {
  WITH l WHERE l IS NOT NULL
  SET l._lock = true
  REMOVE l._lock
}
WITH l, ambiguous,
     head(COLLECT { MATCH (l)-[:VALID_IN]->(:Organisation)-[:BELONGS_TO]->(e:Environment) RETURN e }) AS e,
     EXISTS { (l)-[:ASSIGNED_TO]->(:User) } AS assigned,
     head(COLLECT { MATCH (l)-[:ASSIGNED_TO]->(a:User) RETURN a.id }) AS holder
WITH l, coalesce(e.billing, 'PER_LICENCE') = 'PER_PROCESSED_HOUR' AS perHour, CASE
  WHEN ambiguous THEN {kind: 'licence_number_ambiguous', number: $number}
  WHEN l IS NULL THEN {kind: 'not_found', label: 'Licence', id: $number}
  WHEN e.billing = 'PER_PROCESSED_HOUR' THEN null
  WHEN assigned THEN {kind: 'licence_assigned', number: $number, user: holder}
END AS problem
CALL (l, perHour, problem) {
  WITH * WHERE problem IS NULL AND NOT perHour AND l.status <> 'CANCELLED'
  WITH l, l.startedAt + duration({months: 12}) AS termEnd,
       datetime.truncate('week', $at) + duration({days: 7}) AS nextWeek
  SET l.status = 'CANCELLED', l.cancelRequestedAt = $at,
      l.cancelAt = CASE WHEN termEnd > nextWeek THEN termEnd ELSE nextWeek END
}
RETURN problem, perHour,
       l {.id, .number, passwordSet: EXISTS { (l)-[:ASSIGNED_TO]->(pu:User) WHERE pu.passwordHash IS NOT NULL }, .status, .startedAt, .cancelAt,
          workCompany: head(COLLECT { MATCH (l)-[:VALID_IN]->(w) RETURN w.id }),
          assignedTo: null} AS licence
