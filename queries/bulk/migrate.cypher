// Constraints and indexes, created idempotently at start-up.
// Every node carries :Entity besides its own label, so any node can be found by id
// through one index (raw imports, neighbourhood queries); ids are unique per label
// and across labels.
// This file is the one multi-statement file: schema commands run one at a time.
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT environment_id IF NOT EXISTS FOR (n:Environment) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT user_id IF NOT EXISTS FOR (n:User) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT organisation_id IF NOT EXISTS FOR (n:Organisation) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT partnership_id IF NOT EXISTS FOR (n:Partnership) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT authorization_request_id IF NOT EXISTS FOR (n:AuthorizationRequest) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT partnership_proposal_id IF NOT EXISTS FOR (n:PartnershipProposal) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT invitation_id IF NOT EXISTS FOR (n:Invitation) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT licence_id IF NOT EXISTS FOR (n:Licence) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT process_message_id IF NOT EXISTS FOR (n:ProcessMessage) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT dossier_id IF NOT EXISTS FOR (n:Dossier) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT relation_id IF NOT EXISTS FOR (n:Relation) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT subscription_id IF NOT EXISTS FOR (n:Subscription) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT task_id IF NOT EXISTS FOR (n:Task) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT maintenance_window_id IF NOT EXISTS FOR (n:MaintenanceWindow) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT session_id IF NOT EXISTS FOR (n:Session) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT application_id IF NOT EXISTS FOR (n:Application) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT sign_up_id IF NOT EXISTS FOR (n:SignUp) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT sign_up_token_hash IF NOT EXISTS FOR (n:SignUp) REQUIRE n.tokenHash IS UNIQUE;
CREATE INDEX sign_up_email IF NOT EXISTS FOR (n:SignUp) ON (n.email);
CREATE CONSTRAINT outbox_mail_id IF NOT EXISTS FOR (n:OutboxMail) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT saved_filter_id IF NOT EXISTS FOR (n:SavedFilter) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT audit_event_id IF NOT EXISTS FOR (n:AuditEvent) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT user_email IF NOT EXISTS FOR (n:User) REQUIRE n.email IS UNIQUE;
CREATE CONSTRAINT environment_email_domain IF NOT EXISTS FOR (n:Environment) REQUIRE n.emailDomain IS UNIQUE;
// One partnership per pair of environments: pairKey is the two ids, sorted.
CREATE CONSTRAINT partnership_pair IF NOT EXISTS FOR (n:Partnership) REQUIRE n.pairKey IS UNIQUE;
// One pending proposal per pair of environments: a pending proposal carries the pair's
// key (removed when it is answered).
CREATE CONSTRAINT partnership_proposal_pending IF NOT EXISTS FOR (n:PartnershipProposal) REQUIRE n.pendingKey IS UNIQUE;
CREATE CONSTRAINT session_token_hash IF NOT EXISTS FOR (n:Session) REQUIRE n.tokenHash IS UNIQUE;
CREATE CONSTRAINT api_key_hash IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.keyHash IS UNIQUE;
// A licence number is unique within its environment (numberKey: environment id/number);
// numbers of other environments stay unseen (the one global constraint of old goes).
DROP CONSTRAINT licence_number IF EXISTS;
CREATE CONSTRAINT licence_number_key IF NOT EXISTS FOR (n:Licence) REQUIRE n.numberKey IS UNIQUE;
CREATE INDEX licence_number IF NOT EXISTS FOR (n:Licence) ON (n.number);
// Licences written before numbers were per environment get their key (once; idempotent).
MATCH (l:Licence)-[:VALID_IN]->(:Organisation)-[:BELONGS_TO]->(e:Environment)
WHERE l.numberKey IS NULL
SET l.numberKey = e.id + '/' + l.number;
CREATE INDEX authorization_request_status IF NOT EXISTS FOR (n:AuthorizationRequest) ON (n.status);
CREATE INDEX user_relationship_manager IF NOT EXISTS FOR (n:User) ON (n.relationshipManager);
CREATE INDEX user_username IF NOT EXISTS FOR (n:User) ON (n.username);
CREATE INDEX user_activation_token IF NOT EXISTS FOR (n:User) ON (n.activationTokenHash);
CREATE INDEX user_reset_token IF NOT EXISTS FOR (n:User) ON (n.resetTokenHash);
// Undelivered process messages carry pending: true, so delivery finds them by index.
CREATE INDEX process_message_pending IF NOT EXISTS FOR (n:ProcessMessage) ON (n.pending);
// Relation links of old, from the relation itself, move onto the relation's active
// subscription (its newest active one), properties and all. A relation with no active
// subscription loses its old link: ending its subscription would end it now, and a
// link without one would be invisible yet block its contractant (once, idempotent).
MATCH (r:Relation)-[old:LINKED_TO]->(c:Environment)
WITH r, old, c, COLLECT { MATCH (s:Subscription)-[:OF]->(r) WHERE coalesce(s.active, true)
                          RETURN s ORDER BY s.createdAt DESC, s.id DESC }[0] AS sub
CALL (sub, old, c) {
  WITH * WHERE sub IS NOT NULL
  CREATE (sub)-[moved:LINKED_TO]->(c)
  SET moved = properties(old)
}
DELETE old;
