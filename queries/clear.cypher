// Runs in an auto-commit transaction: deletes in batches so a big graph fits in memory.
MATCH (n)
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
