// First statement of an invite: lock the invitee, so that eligibility (no access
// yet) and "at most one pending invitation per organisation" are checked and
// written by one inviter at a time.
MATCH (j:User {id: $inviteeId})
SET j._lock = true REMOVE j._lock
RETURN j.id AS id
