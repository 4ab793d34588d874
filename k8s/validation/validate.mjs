// Validates rendered Kubernetes manifests, offline and strictly:
//   node validate.mjs FILE.yaml [FILE.yaml...]
// Each object is checked against the schema of its apiVersion and kind:
//  - Kubernetes, Gateway API, cert-manager and Prometheus Operator kinds: the validators of the
//    kubernetes-models packages, plus a check that no field is unknown to the schema (those validators
//    ignore unknown fields, so a misspelt `replicaz:` would pass): every field of an object the validator
//    looked into must be one it asked for;
//  - the operators' custom resources: their CRD schemas in ../schemas (SOURCES.md), compiled with ajv with
//    unknown fields rejected where the schema lists properties and does not preserve unknown fields;
//  - any other kind fails: nothing is applied unchecked.
// Prints one line per problem and exits 1 if there is any; prints a summary otherwise.
import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";

const here = dirname(fileURLToPath(import.meta.url));
const schemas = join(here, "..", "schemas");

// apiVersion group -> the package holding its models
const MODEL_PACKAGES = [
  { groups: /^(gateway\.networking\.k8s\.io|gateway\.networking\.x-k8s\.io)$/, package: "@kubernetes-models/gateway-api" },
  { groups: /(^|\.)cert-manager\.io$/, package: "@kubernetes-models/cert-manager" },
  { groups: /^monitoring\.coreos\.com$/, package: "@kubernetes-models/prometheus-operator" },
  { groups: /^([a-z0-9]+|[a-z0-9.-]+\.k8s\.io)$/, package: "kubernetes-models" },
];

async function modelValidator(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const entry = MODEL_PACKAGES.find((candidate) => candidate.groups.test(group || "core"));
  if (!entry) return null;
  const module = `${entry.package}/${group ? `${group}/` : ""}${version}/${kind}`;
  try {
    const model = (await import(module))[kind];
    return model?.prototype?.validate ? (data) => model.prototype.validate.call(data) : null;
  } catch (error) {
    if (error.code === "ERR_MODULE_NOT_FOUND" || error.code === "ERR_PACKAGE_PATH_NOT_EXPORTED") return null;
    throw error;
  }
}

// The compiled validators read every property their schema declares (`data.replicas`), enumerate the
// keys of maps, and never look inside free-form objects. Recording what they read shows the fields no
// schema declares: the own keys of an object the validator looked into but never asked for.
function recording(value, touched, path = "") {
  if (value === null || typeof value !== "object") return value;
  const record = { path, asked: new Set(), enumerated: false, value };
  touched.push(record);
  const children = new Map();
  return new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key === "string") record.asked.add(key);
      const child = Reflect.get(target, key, receiver);
      if (typeof key !== "string" || child === null || typeof child !== "object") return child;
      if (!children.has(key)) children.set(key, recording(child, touched, `${path}/${key}`));
      return children.get(key);
    },
    has(target, key) {
      if (typeof key === "string") record.asked.add(key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      record.enumerated = true;
      return Reflect.ownKeys(target);
    },
    getOwnPropertyDescriptor(target, key) {
      if (typeof key === "string") record.asked.add(key);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
  });
}

function unknownFields(touched) {
  const problems = [];
  for (const record of touched) {
    if (Array.isArray(record.value) || record.enumerated || record.asked.size === 0) continue;
    for (const key of Object.keys(record.value)) {
      if (!record.asked.has(key)) problems.push(`${record.path}/${key}: unknown field`);
    }
  }
  return problems;
}

// OpenAPI v3 of a CRD -> JSON schema that refuses unknown fields
function strict(node) {
  if (Array.isArray(node)) return node.map(strict);
  if (!node || typeof node !== "object") return node;
  const copy = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "properties" || key === "patternProperties") {
      copy[key] = Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, strict(schema)]));
    } else if (!key.startsWith("x-kubernetes-") && key !== "nullable") {
      copy[key] = strict(value);
    }
  }
  if (node["x-kubernetes-int-or-string"]) {
    delete copy.type;
    copy.anyOf = [{ type: "integer" }, { type: "string" }];
  }
  if (node.nullable && copy.type) copy.type = [].concat(copy.type, "null");
  if (node.properties && !("additionalProperties" in node) && !node["x-kubernetes-preserve-unknown-fields"]) {
    copy.additionalProperties = false;
  }
  return copy;
}

const ajv = new Ajv({ allErrors: true, strict: false });
for (const format of ["int32", "int64", "byte", "date-time", "double", "float", "uri", "password", "duration"]) {
  ajv.addFormat(format, true);
}
const crdValidators = new Map();
function crdValidator(apiVersion, kind) {
  const file = join(schemas, apiVersion, `${kind}.json`);
  if (!existsSync(file)) return null;
  if (!crdValidators.has(file)) {
    const schema = strict(JSON.parse(readFileSync(file, "utf8")));
    // metadata is checked against ObjectMeta below, as the API server does
    if (schema.properties) schema.properties.metadata = { type: "object" };
    crdValidators.set(file, ajv.compile(schema));
  }
  return crdValidators.get(file);
}

const objectMeta = await modelValidator("v1", "ConfigMap");
async function validate(object) {
  const { apiVersion, kind } = object;
  if (!apiVersion || !kind) return ["apiVersion and kind are required"];
  const model = await modelValidator(apiVersion, kind);
  const crd = model ? null : crdValidator(apiVersion, kind);
  if (!model && !crd) return [`no schema for ${apiVersion} ${kind} (add its CRD schema to k8s/schemas)`];
  const problems = [];
  if (model) {
    const touched = [];
    try {
      model(recording(object, touched));
    } catch (error) {
      if (!error.errors) throw error;
      problems.push(...error.errors.map((e) => `${e.instancePath || "/"} ${e.message}`));
    }
    problems.push(...unknownFields(touched));
  } else {
    if (!crd(object)) {
      problems.push(...crd.errors.map((e) =>
        e.keyword === "additionalProperties"
          ? `${e.instancePath}/${e.params.additionalProperty}: unknown field`
          : `${e.instancePath || "/"} ${e.message}`));
    }
    // metadata as a ConfigMap's (ObjectMeta), strictly
    const touched = [];
    try {
      objectMeta(recording({ apiVersion: "v1", kind: "ConfigMap", metadata: object.metadata }, touched));
    } catch (error) {
      if (!error.errors) throw error;
      problems.push(...error.errors.map((e) => `${e.instancePath} ${e.message}`));
    }
    problems.push(...unknownFields(touched).filter((problem) => problem.startsWith("/metadata")));
  }
  return problems;
}

let count = 0;
let failures = 0;
for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (document.errors.length > 0) {
      console.log(`${file}: ${document.errors.map((e) => e.message).join("; ")}`);
      failures++;
      continue;
    }
    const object = document.toJS();
    if (object == null) continue;
    count++;
    const problems = await validate(object);
    const where = `${file}: ${object.kind ?? "?"} ${object.metadata?.name ?? "?"}`;
    for (const problem of problems) console.log(`${where}: ${problem}`);
    failures += problems.length;
  }
}
console.log(`validated ${count} objects, ${failures} problems`);
process.exit(failures > 0 ? 1 : 0);
