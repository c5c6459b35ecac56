// Runs in auto-commit transactions, relationships first and then nodes, in
// batches: a node with many relationships (a user responsible for 50,000
// dossiers) would otherwise make one batch too big for the memory pool.
MATCH ()-[r]->()
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS;
MATCH (n)
CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS
