// `racine export --format backstage` checked with Backstage's own catalog model
// (@backstage/catalog-model, pinned in tests/npm/backstage): every entity passes the
// catalog's policies (schema, field formats, no foreign root fields, default namespace)
// and its kind's validator (Group, Resource). Then, against the matrix (`export --format
// json`): one Group per party, one Resource per activity, whose spec.owner is the
// Accountable party (else the Responsible one) and whose annotations carry every role;
// each owner and each party id an annotation names is a Group of the stream. Broken
// entities must be refused, so that this test can fail.
// Usage: node check.mjs STREAM.yaml MATRIX.json MODULES_DIR
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const [streamPath, matrixPath, modules] = process.argv.slice(2);
const require = createRequire(path.resolve(modules) + '/');
const model = require('@backstage/catalog-model');
const YAML = require('yaml');

const policy = model.EntityPolicies.allOf([
  new model.DefaultNamespaceEntityPolicy(),
  new model.NoForeignRootFieldsEntityPolicy(),
  new model.FieldFormatEntityPolicy(),
  new model.SchemaValidEntityPolicy(),
]);
const validators = { Group: model.groupEntityV1alpha1Validator, Resource: model.resourceEntityV1alpha1Validator };

async function check(entity) {
  const e = await policy.enforce(structuredClone(entity));
  if (!e) throw new Error('refused by the policies');
  const v = validators[entity.kind];
  if (!v) throw new Error('unexpected kind ' + entity.kind);
  if ((await v.check(e)) !== true) throw new Error('not a ' + entity.kind);
  return e;
}

const docs = YAML.parseAllDocuments(fs.readFileSync(streamPath, 'utf8'));
for (const d of docs) if (d.errors.length) throw new Error(d.errors[0].message);
const entities = docs.map(d => d.toJS()).filter(e => e);
for (const e of entities) {
  try { await check(e); } catch (err) { throw new Error(`${e.kind} ${e.metadata?.name}: ${err.message}`); }
}
const matrix = JSON.parse(fs.readFileSync(matrixPath, 'utf8'));
const groups = entities.filter(e => e.kind === 'Group');
const resources = entities.filter(e => e.kind === 'Resource');
const activities = matrix.sections.flatMap(s => s.activities.map(a => ({ ...a, section: s.title })));
if (groups.length !== matrix.parties.length) throw new Error(`${groups.length} Groups for ${matrix.parties.length} parties`);
if (resources.length !== activities.length) throw new Error(`${resources.length} Resources for ${activities.length} activities`);
const groupOf = new Map(groups.map(g => [g.metadata.annotations['racine/party'], g.metadata.name]));
const names = { R: 'responsible', A: 'accountable', C: 'consulted', I: 'informed' };
let twoAccountable = 0, noAccountable = 0;
activities.forEach((a, i) => {
  const r = resources[i];
  const ann = r.metadata.annotations;
  if (ann['racine/activity'] !== a.id || ann['racine/section'] !== a.section || r.metadata.title !== a.title)
    throw new Error(`Resource ${i}: ${JSON.stringify(r.metadata)} is not activity ${a.id}`);
  for (const [letter, name] of Object.entries(names)) {
    const who = matrix.parties.filter(p => (a.roles[p.id] || '').includes(letter)).map(p => p.id).join(',');
    if ((ann['racine/' + name] || '') !== who) throw new Error(`${a.id}: racine/${name} is ${ann['racine/' + name]}, the matrix says ${who}`);
  }
  const acc = matrix.parties.filter(p => (a.roles[p.id] || '').includes('A'));
  const resp = matrix.parties.filter(p => (a.roles[p.id] || '').includes('R'));
  if (acc.length > 1) twoAccountable++;
  if (acc.length === 0) noAccountable++;
  const owner = (acc[0] || resp[0]).id;
  if (r.spec.owner !== 'group:default/' + groupOf.get(owner)) throw new Error(`${a.id}: owner ${r.spec.owner}, expected ${owner}`);
});
// Broken entities: refused.
const bad = [
  { ...resources[0], spec: { type: 'responsibility' } },                                  // no owner
  { ...resources[0], metadata: { ...resources[0].metadata, name: 'x'.repeat(64) } },      // name too long
  { ...resources[0], metadata: { ...resources[0].metadata, annotations: { 'bad key!': 'v' } } },
  { ...groups[0], spec: { type: 'organization' } },                                       // no children
];
for (const [i, b] of bad.entries()) {
  let refused = false;
  try { await check(b); } catch { refused = true; }
  if (!refused) throw new Error(`broken entity ${i} accepted`);
}
console.log(`${entities.length} entities valid for Backstage (${groups.length} Groups, ${resources.length} Resources; ` +
  `${twoAccountable} with two Accountable parties, ${noAccountable} with none: owned by the first); ${bad.length} broken entities refused`);
