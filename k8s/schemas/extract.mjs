// Extracts the OpenAPI schema of custom resources from CustomResourceDefinition files into
// <group>/<version>/<Kind>.json, without descriptions (the bulk of a CRD), for validate.mjs:
//   node extract.mjs KIND[,KIND...] CRD.yaml [CRD.yaml...]
// SOURCES.md records where each committed schema came from.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "../validation/node_modules/yaml/dist/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const [kinds, ...files] = process.argv.slice(2);
const wanted = new Set(kinds.split(","));

function strip(node) {
  if (Array.isArray(node)) return node.map(strip);
  if (node && typeof node === "object") {
    const copy = {};
    for (const [key, value] of Object.entries(node)) {
      if (key !== "description") copy[key] = strip(value);
    }
    return copy;
  }
  return node;
}

for (const file of files) {
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    const crd = document.toJS();
    if (crd?.kind !== "CustomResourceDefinition" || !wanted.has(crd.spec.names.kind)) continue;
    for (const version of crd.spec.versions.filter((v) => v.served)) {
      const target = join(here, crd.spec.group, version.name, `${crd.spec.names.kind}.json`);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, JSON.stringify(strip(version.schema.openAPIV3Schema)) + "\n");
      console.log(target);
    }
  }
}
