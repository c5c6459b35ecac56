// Raw nodes, written as given; labels were checked against the allow-list
// (graph_engine.store.schema) before this statement runs.
UNWIND $rows AS row
CREATE (n:Entity:$(row.label))
SET n = row.props, n.id = row.id
