// Records that a user was shown a window's one-time warning. Exactly once per user
// and window: the user node is locked before the edge is looked for.
MATCH (u:User {id: $userId}), (w:MaintenanceWindow {id: $windowId})
SET u._lock = true REMOVE u._lock
WITH u, w, EXISTS { (u)-[:WARNED_OF]->(w) } AS seen
CALL (u, w, seen) {
  WITH * WHERE NOT seen
  CREATE (u)-[:WARNED_OF {at: $at}]->(w)
}
RETURN NOT seen AS created
