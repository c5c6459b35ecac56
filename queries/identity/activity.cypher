// What the metrics' gauges show: sessions in use (open, used since $idleSince, begun
// since $bornSince) and maintenance windows still open.
RETURN COUNT { MATCH (s:Session)
               WHERE s.invalidatedAt IS NULL AND s.createdAt >= $bornSince
                 AND coalesce(s.lastSeenAt, s.createdAt) >= $idleSince } AS sessions,
       COUNT { MATCH (w:MaintenanceWindow) WHERE w.endedAt IS NULL } AS windows
