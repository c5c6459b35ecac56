// Copies the browser libraries the server ships from node_modules (installed by
// `npm ci` from package-lock.json) into graph_engine/api/static/vendor/, with one
// file of licences covering every package installed, bundled ones included.
// Run by scripts/vendor-web; its output is committed, so users need no npm.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const target = join(here, "..", "graph_engine", "api", "static", "vendor");

// Served file name -> file in node_modules.
const FILES = {
  "react.production.min.js": "react/umd/react.production.min.js",
  "react-dom.production.min.js": "react-dom/umd/react-dom.production.min.js",
  "graphiql.min.js": "graphiql/graphiql.min.js",
  "graphiql.min.css": "graphiql/graphiql.min.css",
  "cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
};

function packages() {
  const lock = JSON.parse(readFileSync(join(here, "package-lock.json"), "utf8"));
  return Object.keys(lock.packages)
    .filter((path) => path.startsWith("node_modules/"))
    .sort()
    .map((path) => {
      const dir = join(here, path);
      const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      const licence = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
      return { name: meta.name, version: meta.version, spdx: meta.license, dir, licence };
    });
}

rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
for (const [name, source] of Object.entries(FILES)) copyFileSync(join(modules, source), join(target, name));

const parts = [
  "Third-party software served by graph_engine (graph_engine/api/static/vendor/).\n" +
    "Each package below is installed by web/package-lock.json; graphiql.min.js bundles\n" +
    "most of them. Their licences follow, each under its package name and version.\n",
];
for (const p of packages()) {
  const text = p.licence ? readFileSync(join(p.dir, p.licence), "utf8").trim() : `License: ${p.spdx} (no licence file in the package)`;
  parts.push(`${"=".repeat(78)}\n${p.name}@${p.version} (${p.spdx})\n${"=".repeat(78)}\n${text}\n`);
}
writeFileSync(join(target, "THIRD_PARTY_LICENSES.txt"), parts.join("\n"));
console.log(`vendored ${Object.keys(FILES).length} files and the licences of ${parts.length - 1} packages into ${target}`);
