// Claim every saved filter's new matches, each exactly once ever: a dossier of the
// owner's environment created at or after the filter was saved, of its kind, whose
// name contains its text, not yet ALERTED by it. Setting `claimedAt` locks each
// filter (in id order, so two runs lock in the same order and cannot deadlock);
// only after all those locks are the matches read, so matches a concurrent run
// claimed while we waited (its ALERTED edges are committed by then) are skipped.
// Filters of inactive or blocked users wait (their matches stay unclaimed).
MATCH (f:SavedFilter)-[:OWNED_BY]->(u:User)-[:MEMBER_OF]->(e:Environment)
WHERE ($environmentId IS NULL OR e.id = $environmentId)
  AND coalesce(u.active, true) AND NOT coalesce(u.loginBlocked, false)
WITH f, u, e ORDER BY f.id
SET f.claimedAt = $at
WITH collect([f, u, e]) AS claimed
UNWIND claimed AS c
WITH c[0] AS f, c[1] AS u, c[2] AS e
CALL (f, e) {
  MATCH (e)<-[:MEMBER_OF]-(r:User)<-[:RESPONSIBLE]-(d:Dossier)
  WHERE d.createdAt >= f.createdAt
    AND (f.kind IS NULL OR coalesce(d.kind, 'CANDIDATE') = f.kind)
    AND (f.nameContains IS NULL OR toLower(d.name) CONTAINS toLower(f.nameContains))
    AND NOT EXISTS { (f)-[:ALERTED]->(d) }
  WITH d, r ORDER BY d.id
  CREATE (f)-[:ALERTED {at: $at}]->(d)
  RETURN collect(d {.*, responsible: r.id, environment: e.id}) AS matches
}
WITH f, u, e, matches WHERE size(matches) > 0
SET f.lastAlertAt = $at
RETURN f {.*, owner: u.id, environment: e.id} AS filter,
       u {.id, .email, .username, .name, .active, .loginBlocked, .mailEnabled,
          .relationshipManager, .createdAt, environment: e.id,
          role: head(COLLECT { MATCH (u)-[m:MEMBER_OF]->(e) RETURN m.role })} AS owner,
       matches
ORDER BY f.id
