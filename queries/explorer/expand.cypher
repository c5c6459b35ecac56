// The nodes $ids and every relationship touching them, with the node at the
// other end: one step of a neighbourhood walk (explorer, GraphQL neighbourhood).
// At most $limit relationships, so a hub cannot flood the picture.
UNWIND $ids AS id
MATCH (a:Entity {id: id})
OPTIONAL MATCH (a)-[r]-(b:Entity)
WITH a, r, b LIMIT $limit
RETURN [l IN labels(a) WHERE l <> 'Entity'][0] AS label, a.id AS id, properties(a) AS props,
       CASE WHEN r IS NULL THEN null ELSE
         {type: type(r), start: startNode(r).id, end: endNode(r).id, props: properties(r),
          other: {label: [l IN labels(b) WHERE l <> 'Entity'][0], id: b.id, props: properties(b)}}
       END AS rel
