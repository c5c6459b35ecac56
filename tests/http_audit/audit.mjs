// Runs graphql-http's auditServer against a live GraphQL endpoint and prints the
// results as JSON, one object per audit: {id, name, status, reason}.
//   node audit.mjs http://127.0.0.1:8000/graphql
import { auditServer } from "graphql-http";

const url = process.argv[2];
if (!url) {
  console.error("usage: node audit.mjs URL");
  process.exit(2);
}
const results = await auditServer({ url });
const shown = await Promise.all(
  results.map(async (r) => ({
    id: r.id,
    name: r.name,
    status: r.status,
    reason: r.status === "ok" ? null : r.reason,
  })),
);
console.log(JSON.stringify(shown));
