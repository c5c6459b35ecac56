// Ask to cancel a released licence. Minimum term 12 months from its start, after
// that per week: effective at the later of start + 12 months and the first week
// boundary (Monday 00:00, in the zone of $at, which the service gives in UTC)
// after the request. On a per-processed-hour contract no cancellation is needed,
// and nothing is written. Asking again returns the date already set. With
// $environmentId, a licence of another environment is not found.
OPTIONAL MATCH (l:Licence {number: $number})
CALL (l) {
  WITH l WHERE l IS NOT NULL
  SET l._lock = true
  REMOVE l._lock
}
WITH l, head(COLLECT { MATCH (l)-[:VALID_IN]->(:Organisation)-[:BELONGS_TO]->(e:Environment) RETURN e }) AS e,
     EXISTS { (l)-[:ASSIGNED_TO]->(:User) } AS assigned,
     head(COLLECT { MATCH (l)-[:ASSIGNED_TO]->(a:User) RETURN a.id }) AS holder
WITH l, coalesce(e.billing, 'PER_LICENCE') = 'PER_PROCESSED_HOUR' AS perHour, CASE
  WHEN l IS NULL OR ($environmentId IS NOT NULL AND coalesce(e.id, '') <> $environmentId)
    THEN {kind: 'not_found', label: 'Licence', id: $number}
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
