// Raw relationships between existing nodes; types were checked against the allow-list.
UNWIND $rows AS row
MATCH (a:Entity {id: row.start})
MATCH (b:Entity {id: row.end})
CREATE (a)-[r:$(row.type)]->(b)
SET r = row.props
