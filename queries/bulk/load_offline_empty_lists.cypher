// Empty lists, which neo4j-admin's CSV import cannot write (it leaves the property
// out): the import marked each node that held some with this label and their
// names (store/neo4j/admin_csv.py); set the lists and take the marks off again.
MATCH (n:GraphEngineEmptyLists)
CALL (n) {
  FOREACH (key IN n.graphEngineEmptyLists | SET n[key] = [])
  REMOVE n:GraphEngineEmptyLists, n.graphEngineEmptyLists
} IN TRANSACTIONS OF 10000 ROWS
