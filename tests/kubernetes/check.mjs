// The Kubernetes manifests of deploy/kubernetes/ (docs/kubernetes-deployment.md), offline:
// - rendered by `kubectl kustomize` (Debian 12's kubectl is 1.20, kustomize 2.0.3: the
//   manifests stay within what it reads), the whole, app/ alone (no Prometheus Operator
//   object) and monitoring/ alone;
// - every rendered object against the Kubernetes API's schemas of npm's kubernetes-models
//   and @kubernetes-models/prometheus-operator (pinned, .cache/kubernetes): their
//   validators (types, required fields, formats) and their TypeScript interfaces through
//   the TypeScript compiler, which refuses a field the API does not have (a misspelt
//   readinessProbe would otherwise be dropped silently by the API server); broken copies
//   are refused, so this part can fail;
// - the objects against each other (selectors, ports, Secret keys, ConfigMaps), the
//   security context, the probes, the grace period against racine's own shutdown figures
//   (src/server/http.h, racine serve --help), the NetworkPolicy against racine.toml and
//   the Secret's database URL;
// - deploy/Containerfile read as text against the Deployment: uid and gid, port, the
//   HEALTHCHECK's path, the folders the image writes to being emptyDirs;
// - a real `racine serve` started with the Deployment's own command, arguments,
//   environment and racine.toml (SQLite in a temporary folder instead of the example
//   PostgreSQL): the probes' paths answer, the Containerfile's HEALTHCHECK command passes
//   (and fails once racine stopped), and every metric, label and value the
//   PrometheusRule's and the Grafana dashboard's PromQL names (parsed by Prometheus's own
//   grammar, @prometheus-io/lezer-promql) is one that racine serves at /metrics.
// Usage: node check.mjs RACINE SOURCE_DIR
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, posix, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { checks, missing } from '../oidc/harness.mjs';

const [racineArg, srcArg] = process.argv.slice(2);
if (!racineArg || !srcArg) {
  console.error('usage: node check.mjs RACINE SOURCE_DIR');
  process.exit(2);
}
const racine = resolve(racineArg);
const src = resolve(srcArg);
const manifests = join(src, 'deploy/kubernetes');

// --- prerequisites ------------------------------------------------------------------------
const kubectl = process.env.RACINE_KUBECTL || 'kubectl';
const kv = spawnSync(kubectl, ['version', '--client'], { encoding: 'utf8' });
if (kv.error || kv.status !== 0)
  missing(`kubectl is absent (${kubectl}): run make deps-test (installs Debian's kubernetes-client where no kubectl is)`);
const cache = join(src, '.cache/kubernetes');
for (const p of ['kubernetes-models', '@kubernetes-models/prometheus-operator', 'typescript', 'yaml', '@prometheus-io/lezer-promql'])
  if (!existsSync(join(cache, 'node_modules', p))) missing(`${p} is absent from .cache/kubernetes: run make deps-test`);
if (!existsSync(racine)) missing(`${racine} is absent: build racine first`);
const require = createRequire(join(cache, 'package.json'));
const YAML = require('yaml');
const ts = require('typescript');
const { parser: promql } = require('@prometheus-io/lezer-promql');

const { check, fail, done } = checks();
const work = mkdtempSync(join(tmpdir(), 'racine-k8s-'));
const children = [];
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});
console.log(`kubectl: ${kv.stdout.trim().split('\n')[0]}`);

// --- rendering ----------------------------------------------------------------------------
function render(dir) {
  const r = spawnSync(kubectl, ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error || r.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${r.error || r.stderr}`);
  return YAML.parseAllDocuments(r.stdout).map(d => {
    if (d.errors.length) throw new Error(`kubectl kustomize ${dir}: ${d.errors[0].message}`);
    const o = d.toJS();
    // Newer kustomize folds a long base64 value over several lines, which the API server's
    // decoder skips; the schema's "byte" format does not.
    if (o && o.kind === 'Secret' && o.data) for (const k of Object.keys(o.data)) o.data[k] = o.data[k].replace(/\s+/g, '');
    return o;
  }).filter(o => o !== null);
}
let all = [];
let app = [];
let monitoring = [];
try {
  all = render(manifests);
  app = render(join(manifests, 'app'));
  monitoring = render(join(manifests, 'monitoring'));
} catch (e) {
  fail('kubectl kustomize renders deploy/kubernetes, app/ and monitoring/', e);
  done('kubernetes_manifests');
}
const one = (kind, prefix = 'racine') => {
  const found = all.filter(o => o.kind === kind && (o.metadata.name === prefix || o.metadata.name.startsWith(prefix + '-')));
  assert.equal(found.length, 1, `exactly one ${kind} named ${prefix}(-hash): ${found.map(o => o.metadata.name)}`);
  return found[0];
};
const named = (kind, name) => all.find(o => o.kind === kind && o.metadata.name === name);
const id = o => `${o.kind}/${o.metadata.name}`;

await check('kubectl kustomize renders the expected objects, all in the racine namespace', () => {
  const kinds = all.map(o => o.kind).sort();
  assert.deepEqual(kinds, ['ConfigMap', 'ConfigMap', 'Deployment', 'Namespace', 'NetworkPolicy',
    'PodDisruptionBudget', 'PrometheusRule', 'Secret', 'Service', 'ServiceAccount', 'ServiceMonitor']);
  for (const o of all.filter(o => o.kind !== 'Namespace')) assert.equal(o.metadata.namespace, 'racine', id(o));
  assert.equal(one('Namespace').metadata.name, 'racine');
  assert.equal(all.length, app.length + monitoring.length, 'the whole is app/ and monitoring/');
  assert.ok(!app.some(o => o.apiVersion.startsWith('monitoring.coreos.com/')),
    'app/ alone applies without the Prometheus Operator');
  assert.ok(monitoring.every(o => o.kind === 'ConfigMap' || o.apiVersion.startsWith('monitoring.coreos.com/')));
});

await check('only the dashboard ConfigMap carries grafana_dashboard (never the Secret)', () => {
  const labelled = all.filter(o => o.metadata.labels && 'grafana_dashboard' in o.metadata.labels);
  assert.deepEqual(labelled.map(o => o.kind), ['ConfigMap']);
  assert.ok(labelled[0].metadata.name.startsWith('racine-dashboard-'));
});

// --- the Kubernetes API's schemas ---------------------------------------------------------
// apiVersion and kind to the module of kubernetes-models that holds the schema.
const moduleOf = o => o.apiVersion.startsWith('monitoring.coreos.com/')
  ? `@kubernetes-models/prometheus-operator/${o.apiVersion}/${o.kind}`
  : `kubernetes-models/${o.apiVersion}/${o.kind}`;
const validate = o => {
  let mod;
  try { mod = require(moduleOf(o)); } catch (e) { throw new Error(`no schema for ${o.apiVersion} ${o.kind}: ${e.message}`); }
  new mod[o.kind](o).validate();
};

await check('every object is valid for its schema (kubernetes-models validators)', () => {
  const problems = [];
  for (const o of all) {
    try { validate(o); } catch (e) { problems.push(`${id(o)}: ${e.message}`); }
  }
  assert.deepEqual(problems, []);
});

await check('a broken copy is refused by the validators (replicas as a string, no containers)', () => {
  const d = structuredClone(one('Deployment'));
  d.spec.replicas = '2';
  assert.throws(() => validate(d), /replicas must be integer/);
  const e = structuredClone(one('Deployment'));
  delete e.spec.template.spec.containers;
  assert.throws(() => validate(e), /containers/);
});

// The TypeScript compiler checks object literals against the API's interfaces: unknown
// fields are errors there (the validators let them through).
function typeCheck(files) {
  const dir = mkdtempSync(join(cache, 'typecheck-'));
  try {
    const names = [];
    for (const [name, objects] of Object.entries(files)) {
      const imports = [...new Set(objects.map(o => `import type { I${o.kind} } from ${JSON.stringify(moduleOf(o))};`))];
      const body = objects.map((o, i) => `export const o${i}: I${o.kind} = ${JSON.stringify(o)};`);
      writeFileSync(join(dir, name), [...imports, ...body, ''].join('\n'));
      names.push(join(dir, name));
    }
    const program = ts.createProgram(names, {
      noEmit: true, strict: true, skipLibCheck: true, types: [],
      module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16,
    });
    const out = {};
    for (const n of Object.keys(files)) out[n] = [];
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
      const file = d.file ? d.file.fileName.split('/').pop() : '(none)';
      (out[file] || (out[file] = [])).push(text.slice(0, 400));
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
await check('every object type-checks against the API\'s interfaces; misspelt fields are refused', () => {
  const deployment = structuredClone(one('Deployment'));
  const c = deployment.spec.template.spec.containers[0];
  c.readinesProbe = c.readinessProbe;
  delete c.readinessProbe;
  const monitor = structuredClone(one('ServiceMonitor'));
  monitor.spec.endpoints[0].intervall = monitor.spec.endpoints[0].interval;
  delete monitor.spec.endpoints[0].interval;
  const policy = structuredClone(one('NetworkPolicy'));
  policy.spec.egress[0].too = policy.spec.egress[0].to;
  delete policy.spec.egress[0].to;
  const result = typeCheck({ 'good.ts': all, 'bad.ts': [deployment, monitor, policy] });
  assert.deepEqual(Object.keys(result).sort(), ['bad.ts', 'good.ts'], JSON.stringify(result));
  assert.deepEqual(result['good.ts'], []);
  const bad = result['bad.ts'].join('\n');
  for (const field of ['readinesProbe', 'intervall', 'too']) assert.match(bad, new RegExp(`'"?${field}"?' does not exist`), bad);
  assert.equal(result['bad.ts'].length, 3, bad);
});

// --- the objects together -----------------------------------------------------------------
const deployment = one('Deployment');
const pod = deployment.spec.template;
const container = pod.spec.containers.find(c => c.name === 'racine');
const secret = one('Secret');
const configMap = one('ConfigMap', 'racine-config');
const dashboardMap = one('ConfigMap', 'racine-dashboard');
const service = one('Service');
const matches = (selector, labels) => Object.entries(selector).every(([k, v]) => labels[k] === v);
const decoded = Object.fromEntries(Object.entries(secret.data || {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
const args = container.args || [];
const arg = flag => {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
};
const toml = configMap.data['racine.toml'];
// racine.toml as racine reads it here: key = "string" / number / true / [list], [sections].
const config = (() => {
  const out = { '': {} };
  let section = '';
  for (const raw of toml.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (!line || line.startsWith('#')) continue;
    const s = line.match(/^\[([^\]]+)\]$/);
    if (s) { section = s[1]; out[section] = {}; continue; }
    const kvm = line.match(/^([A-Za-z0-9_-]+)\s*=\s*(.+)$/);
    assert.ok(kvm, `racine.toml: cannot read ${raw}`);
    out[section][kvm[1]] = JSON.parse(kvm[2]);
  }
  return out;
})();
const seconds = text => {
  const m = String(text).match(/^(\d+)(s|m|h|d)$/);
  assert.ok(m, `not a duration: ${text}`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2]];
};
const serveHelp = spawnSync(racine, ['serve', '--help'], { encoding: 'utf8' }).stdout || '';
const helpDefault = flag => {
  const m = serveHelp.match(new RegExp(`${flag} [A-Z]+[^\\n]*\\(default: ([^)]+)\\)`));
  assert.ok(m, `racine serve --help gives no default for ${flag}`);
  return m[1];
};
const option = name => arg(`--${name}`) ?? config[''][name];

await check('selectors, ports, Secret keys and ConfigMaps refer to what is there', () => {
  const labels = pod.metadata.labels;
  assert.ok(matches(deployment.spec.selector.matchLabels, labels), 'Deployment selector');
  assert.ok(matches(service.spec.selector, labels), 'Service selector');
  assert.ok(matches(one('PodDisruptionBudget').spec.selector.matchLabels, labels), 'PDB selector');
  assert.ok(matches(one('NetworkPolicy').spec.podSelector.matchLabels, labels), 'NetworkPolicy selector');
  const monitor = one('ServiceMonitor');
  assert.ok(matches(monitor.spec.selector.matchLabels, service.metadata.labels), 'ServiceMonitor selects the Service');
  const portNames = container.ports.map(p => p.name);
  for (const p of service.spec.ports) assert.ok(portNames.includes(p.targetPort) || container.ports.some(c => c.containerPort === p.targetPort), `Service port ${p.name}`);
  for (const e of monitor.spec.endpoints) {
    assert.ok(service.spec.ports.some(p => p.name === e.port), `ServiceMonitor port ${e.port}`);
    assert.equal(e.path, '/metrics');
  }
  assert.ok(named('ServiceAccount', pod.spec.serviceAccountName), 'the ServiceAccount exists');
  for (const e of container.env || []) {
    const ref = e.valueFrom && e.valueFrom.secretKeyRef;
    if (!ref) continue;
    assert.equal(ref.name, secret.metadata.name, `${e.name}: its Secret`);
    assert.ok(ref.key in decoded, `${e.name}: the Secret has no key ${ref.key}`);
  }
  for (const v of pod.spec.volumes.filter(v => v.configMap)) assert.ok(named('ConfigMap', v.configMap.name), `volume ${v.name}`);
  // --config names a key of a mounted ConfigMap.
  const configPath = arg('--config');
  const mount = container.volumeMounts.find(m => posix.dirname(configPath) === m.mountPath);
  assert.ok(mount, `--config ${configPath} is under no mount`);
  const volume = pod.spec.volumes.find(v => v.name === mount.name);
  assert.equal(volume.configMap && volume.configMap.name, configMap.metadata.name);
  assert.ok(posix.basename(configPath) in configMap.data);
  // racine.toml's client secrets come from variables the container has.
  const envNames = (container.env || []).map(e => e.name);
  const issuers = Object.entries(config).filter(([s]) => s.startsWith('issuer.'));
  assert.ok(issuers.length >= 1, 'racine.toml names an OpenID provider');
  for (const [s, v] of issuers) {
    assert.ok(v['client-secret-env'], `[${s}] reads its secret from the environment`);
    assert.ok(envNames.includes(v['client-secret-env']), `[${s}] ${v['client-secret-env']} is not in the container's env`);
  }
  assert.ok(envNames.includes('RACINE_DATABASE_URL'), 'the database URL comes from the environment');
  assert.ok(!args.includes('--database') && !args.some(a => a.startsWith('postgres')), 'no database URL on the command line');
});

await check('the example Secret holds marked placeholders, without stray whitespace', () => {
  assert.deepEqual(Object.keys(decoded).sort(), ['database-url', 'oidc-client-secret']);
  for (const [k, v] of Object.entries(decoded)) {
    assert.equal(v, v.trim(), `${k} has leading or trailing whitespace (a file's newline?)`);
    assert.match(v, /CHANGE-ME/, `${k} is not marked as a placeholder`);
  }
  const url = new URL(decoded['database-url']);
  assert.match(url.protocol, /^postgres(ql)?:$/);
  const timeout = Number(url.searchParams.get('connect_timeout'));
  assert.ok(timeout >= 1, 'database-url sets connect_timeout (libpq waits forever otherwise)');
  assert.ok(timeout < container.readinessProbe.timeoutSeconds,
    `connect_timeout ${timeout} s must be below the readiness probe's ${container.readinessProbe.timeoutSeconds} s`);
});

await check('2 replicas, a PodDisruptionBudget of 1, a rolling update that keeps both', () => {
  assert.equal(deployment.spec.replicas, 2);
  const pdb = one('PodDisruptionBudget');
  assert.equal(pdb.spec.minAvailable, 1);
  assert.ok(pdb.spec.minAvailable < deployment.spec.replicas, 'a drain can still evict one');
  assert.equal(deployment.spec.strategy.rollingUpdate.maxUnavailable, 0);
});

await check('the security context: non-root, read-only root, no privilege, no capability, RuntimeDefault', () => {
  const ps = pod.spec.securityContext;
  const cs = container.securityContext;
  assert.equal(ps.runAsNonRoot, true);
  assert.ok(Number.isInteger(ps.runAsUser) && ps.runAsUser > 0, 'a numeric non-root uid');
  assert.equal(ps.seccompProfile.type, 'RuntimeDefault');
  assert.equal(cs.allowPrivilegeEscalation, false);
  assert.equal(cs.readOnlyRootFilesystem, true);
  assert.notEqual(cs.privileged, true);
  assert.deepEqual(cs.capabilities.drop, ['ALL']);
  assert.ok(!cs.capabilities.add, 'no capability added');
  assert.equal(pod.spec.automountServiceAccountToken, false);
  assert.equal(one('ServiceAccount').automountServiceAccountToken, false);
  assert.equal(one('Namespace').metadata.labels['pod-security.kubernetes.io/enforce'], 'restricted');
  for (const v of pod.spec.volumes) assert.ok(v.emptyDir || v.configMap, `volume ${v.name}: emptyDir or ConfigMap only`);
});

await check('requests and limits; the memory limit holds the matrix cache', () => {
  const r = container.resources;
  for (const k of ['cpu', 'memory']) {
    assert.ok(r.requests[k], `requests.${k}`);
    assert.ok(r.limits[k], `limits.${k}`);
  }
  const mib = q => {
    const m = String(q).match(/^(\d+)(Mi|Gi)$/);
    assert.ok(m, `memory as Mi or Gi: ${q}`);
    return Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1);
  };
  const cache = readFileSync(join(src, 'src/service/service.h'), 'utf8').match(/cache_bytes = (\d+)U << 20U/);
  assert.ok(cache, 'src/service/service.h no longer says cache_bytes = N << 20: update this test');
  assert.ok(mib(r.limits.memory) >= Number(cache[1]) + 256,
    `limits.memory ${r.limits.memory}: the matrix cache alone may take ${cache[1]} MiB`);
  assert.ok(mib(r.requests.memory) <= mib(r.limits.memory));
});

await check('probes: liveness on /healthz, readiness on /readyz, on the container\'s port', () => {
  const port = container.ports[0];
  for (const [probe, path] of [['livenessProbe', '/healthz'], ['readinessProbe', '/readyz'], ['startupProbe', '/healthz']]) {
    const p = container[probe];
    assert.ok(p && p.httpGet, probe);
    assert.equal(p.httpGet.path, path, probe);
    assert.ok(p.httpGet.port === port.name || p.httpGet.port === port.containerPort, `${probe} port`);
  }
  assert.ok(container.readinessProbe.periodSeconds < container.livenessProbe.periodSeconds * container.livenessProbe.failureThreshold);
});

await check('terminationGracePeriodSeconds covers the preStop pause, the drain and a delivery in flight', () => {
  const http = readFileSync(join(src, 'src/server/http.h'), 'utf8').match(/drain_timeout\{(\d+)\}/);
  assert.ok(http, 'src/server/http.h no longer says drain_timeout{N}: update this test');
  const drain = Number(http[1]);
  const pre = container.lifecycle.preStop.exec.command;
  assert.equal(pre[0], 'sleep');
  const pause = Number(pre[1]);
  const delivery = seconds(option('delivery-timeout') ?? helpDefault('--delivery-timeout'));
  const grace = pod.spec.terminationGracePeriodSeconds;
  const need = pause + drain + delivery;
  assert.ok(grace >= need, `terminationGracePeriodSeconds ${grace} < ${pause} + ${drain} + ${delivery}`);
  console.log(`    grace period ${grace} s >= preStop ${pause} s + drain ${drain} s + delivery-timeout ${delivery} s = ${need} s`);
});

// --- the NetworkPolicy against racine's own egress ----------------------------------------
const portOf = (url, defaults) => Number(new URL(url).port) || defaults[new URL(url).protocol];
await check('the NetworkPolicy lets racine reach DNS, PostgreSQL, the OpenID provider, the relay and the proxy, and nothing else', () => {
  const policy = one('NetworkPolicy');
  assert.deepEqual([...policy.spec.policyTypes].sort(), ['Egress', 'Ingress']);
  const http = container.ports[0];
  assert.ok(policy.spec.ingress.some(r => (r.ports || []).some(p => p.port === http.containerPort || p.port === http.name)),
    'ingress to the HTTP port');
  const rules = policy.spec.egress;
  const allows = (port, protocol = 'TCP') => rules.some(r => (r.ports || []).some(p => p.port === port && (p.protocol || 'TCP') === protocol));
  const dns = rules.find(r => (r.ports || []).some(p => p.port === 53));
  assert.ok(dns && allows(53, 'UDP') && allows(53, 'TCP'), 'DNS over UDP and TCP');
  assert.ok(dns.to.some(t => t.namespaceSelector && t.namespaceSelector.matchLabels['kubernetes.io/metadata.name'] === 'kube-system'),
    'DNS: the cluster resolver in kube-system');
  const needed = { 53: 'DNS' };
  needed[portOf(decoded['database-url'], { 'postgresql:': 5432, 'postgres:': 5432 })] = 'PostgreSQL';
  if (option('smtp')) needed[portOf(option('smtp'), { 'smtp:': 25, 'smtps:': 465 })] = 'the SMTP relay';
  const proxy = option('egress-proxy');
  if (proxy) needed[portOf(proxy, { 'http:': 80, 'https:': 443 })] = 'the egress proxy';
  for (const [s, v] of Object.entries(config)) {
    if (s.startsWith('issuer.')) needed[portOf(v.issuer, { 'http:': 80, 'https:': 443 })] = `the OpenID provider [${s}]`;
  }
  for (const [port, what] of Object.entries(needed)) assert.ok(allows(Number(port)), `no egress rule for ${what} (TCP ${port})`);
  const opened = new Set(rules.flatMap(r => (r.ports || []).map(p => p.port)));
  for (const p of opened) assert.ok(String(p) in needed, `egress port ${p} is for nothing racine.toml or the Secret names`);
  for (const r of rules) {
    assert.ok(r.ports && r.ports.length, 'every egress rule names its ports');
    assert.ok(r.to && r.to.length, 'every egress rule names its destinations');
  }
  const open = rules.filter(r => r.to.some(t => t.ipBlock && ['0.0.0.0/0', '::/0'].includes(t.ipBlock.cidr)));
  if (proxy) {
    assert.deepEqual(open, [], 'with egress-proxy, receivers are reached through the proxy only: no rule opens the internet');
  } else {
    // Without a proxy, webhooks go out directly: the internet, minus what racine's egress
    // policy refuses to tenants (docs/routing.md, "Receivers").
    assert.ok(open.length, 'without egress-proxy, webhooks need a rule to the internet');
    for (const r of open) for (const t of r.to) for (const cidr of ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10'])
      assert.ok((t.ipBlock.except || []).includes(cidr), `the open rule must except ${cidr}`);
  }
});

// --- the container image ------------------------------------------------------------------
const containerfile = readFileSync(join(src, 'deploy/Containerfile'), 'utf8').replace(/\\\n/g, ' ');
const stages = containerfile.split(/^FROM /m).slice(1).map(s => 'FROM ' + s);
const runtime = stages[stages.length - 1];
const instruction = (name, text = runtime) => [...text.matchAll(new RegExp(`^${name}\\s+(.+)$`, 'gm'))].map(m => m[1].trim());
const healthcheck = (() => {
  const h = instruction('HEALTHCHECK')[0] || '';
  const cmd = h.match(/CMD\s+(\[.*\])\s*$/);
  return cmd ? JSON.parse(cmd[1]) : null;
})();
const mountFor = path => container.volumeMounts.find(m => path === m.mountPath || path.startsWith(m.mountPath + '/'));
const emptyDirAt = path => {
  const m = mountFor(path);
  return m && !m.readOnly && pod.spec.volumes.find(v => v.name === m.name && v.emptyDir);
};

await check('the image\'s user is the Deployment\'s uid and gid', () => {
  const useradd = runtime.match(/useradd\b[^&\n]*--uid (\d+)[^&\n]*\s(\S+)\s*(?:&&|$)/m);
  assert.ok(useradd, 'the Containerfile creates its user with a fixed --uid');
  const groupadd = runtime.match(/groupadd\b[^&\n]*--gid (\d+)/);
  assert.ok(groupadd, 'the Containerfile creates its group with a fixed --gid');
  const user = instruction('USER').pop();
  assert.ok(user === useradd[2] || user === useradd[1], `USER ${user} is the user made with --uid ${useradd[1]}`);
  assert.equal(pod.spec.securityContext.runAsUser, Number(useradd[1]));
  assert.equal(pod.spec.securityContext.runAsGroup, Number(groupadd[1]));
});

await check('the image\'s port, entry point and health check match the Deployment', () => {
  const expose = Number(instruction('EXPOSE')[0]);
  assert.equal(container.ports[0].containerPort, expose);
  const entry = JSON.parse(instruction('ENTRYPOINT').pop());
  assert.deepEqual(container.command, entry.slice(0, 2), 'the command is the image\'s racine serve');
  assert.equal(arg('--listen'), `0.0.0.0:${expose}`);
  assert.ok(entry.join(' ').includes(`--listen 0.0.0.0:${expose}`));
  assert.ok(healthcheck, 'the Containerfile has a HEALTHCHECK CMD [...]');
  const script = healthcheck.join(' ');
  assert.equal((script.match(/GET (\S+) HTTP/) || [])[1], container.livenessProbe.httpGet.path, 'HEALTHCHECK path');
  assert.equal(Number((script.match(/\/dev\/tcp\/127\.0\.0\.1\/(\d+)/) || [])[1]), expose, 'HEALTHCHECK port');
  // preStop and HEALTHCHECK run programs of the image: a Debian base has sleep and bash.
  assert.match(runtime, /^FROM debian:/);
  assert.equal(healthcheck[0], 'bash');
});

await check('with a read-only root, every folder the image writes to is an emptyDir', () => {
  const writes = [...instruction('VOLUME'), ...instruction('WORKDIR').slice(-1), '/tmp'];
  for (const path of writes) assert.ok(emptyDirAt(path), `${path} is not an emptyDir mount`);
  const token = arg('--admin-token-file');
  assert.ok(token && emptyDirAt(token), `--admin-token-file ${token} is not in an emptyDir`);
  const tmp = (container.env || []).find(e => e.name === 'TMPDIR');
  if (tmp) assert.ok(emptyDirAt(tmp.value), `TMPDIR ${tmp.value}`);
  assert.ok(!args.includes('--data'), 'no SQLite folder: the store is PostgreSQL');
});

await check('the image installs racine\'s Debian package, so that apt brings every library it links', () => {
  assert.match(runtime, /COPY --from=\S+ \S*racine_\*\.deb/);
  assert.match(runtime, /apt-get install[^\n]*racine_\*\.deb/);
  assert.match(stages[0], /make deb/);
  assert.match(runtime, /apt-get install[^\n]*ca-certificates/, 'ca-certificates for HTTPS (libcurl only recommends it)');
});

// --- PromQL against what racine serves ----------------------------------------------------
// Labels Prometheus adds to every series of a target scraped through the ServiceMonitor.
const targetLabels = new Set(['namespace', 'pod', 'service', 'job', 'instance', 'endpoint', 'container']);
function parseMetrics(text) {
  const series = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+\S+$/);
    assert.ok(m, `/metrics: cannot read ${line}`);
    const labels = {};
    for (const l of (m[3] || '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    if (!series.has(m[1])) series.set(m[1], []);
    series.get(m[1]).push(labels);
  }
  return series;
}
// The problems of one expression: what does not parse, and every metric, label or value
// it names that racine does not serve.
function promqlProblems(expr, served) {
  const problems = [];
  const tree = promql.parse(expr);
  const text = n => expr.slice(n.from, n.to);
  const used = new Set();
  const grouping = [];
  tree.iterate({
    enter(n) {
      if (n.type.isError) problems.push(`does not parse at ${n.from}: ${JSON.stringify(expr.slice(Math.max(0, n.from - 15), n.from + 15))}`);
      if (n.name === 'GroupingLabels') {
        for (let c = n.node.firstChild; c; c = c.nextSibling) if (c.name === 'LabelName') grouping.push(text(c));
      }
      if (n.name !== 'VectorSelector') return;
      const ident = n.node.getChild('Identifier');
      if (!ident) { problems.push(`a selector without a metric name: ${text(n)}`); return false; }
      const name = text(ident);
      used.add(name);
      if (!served.has(name)) { problems.push(`racine serves no metric ${name}`); return false; }
      const samples = served.get(name);
      const matchers = n.node.getChild('LabelMatchers');
      for (let c = matchers && matchers.firstChild; c; c = c.nextSibling) {
        if (!['UnquotedLabelMatcher', 'LabelMatcher'].includes(c.name)) {
          if (!['{', '}', ','].includes(c.name)) problems.push(`${name}: a matcher not checked here: ${text(c)}`);
          continue;
        }
        const label = text(c.getChild('LabelName'));
        const op = text(c.getChild('MatchOp'));
        const value = JSON.parse(text(c.getChild('StringLiteral')).replace(/^'(.*)'$/, '"$1"'));
        if (targetLabels.has(label)) continue;
        if (!samples.some(s => label in s)) { problems.push(`${name} has no label ${label}`); continue; }
        if (op === '=' && !samples.some(s => s[label] === value)) problems.push(`${name}{${label}="${value}"} is never served`);
        if (op === '=~' || op === '!~') {
          try { new RegExp(`^(?:${value})$`); } catch (e) { problems.push(`${name}: bad regex ${value}`); }
        }
      }
      return false;
    },
  });
  const labelsOfUsed = new Set([...used].filter(u => served.has(u)).flatMap(u => served.get(u).flatMap(s => Object.keys(s))));
  for (const g of grouping) if (!targetLabels.has(g) && !labelsOfUsed.has(g)) problems.push(`grouping by ${g}, a label none of ${[...used]} has`);
  if (!used.size) problems.push('names no metric');
  return { problems, used };
}
// Grafana's variables, as a query would be sent.
const grafanaToPromql = expr => expr.replace(/\$__\w+|\$\{__\w+\}/g, '5m').replace(/\$\{?(\w+)\}?/g, 'racine');

// --- a real racine serve, as the Deployment starts it --------------------------------------
const runDir = join(work, 'run');
mkdirSync(join(runDir, 'tmp'), { recursive: true });
const configFile = join(runDir, 'racine.toml');
writeFileSync(configFile, toml);
// The Deployment's command and arguments, but for where things are on this machine.
function serveArgs(store = 'data') {
  const out = [...container.command.slice(1)];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--listen') {
      out.push(a, '127.0.0.1:0');
      i++;
    } else if (a === '--config') {
      out.push(a, configFile);
      i++;
    } else if (a === '--admin-token-file') {
      out.push(a, join(runDir, `${store}-admin-token`));
      i++;
    } else {
      out.push(a);
    }
  }
  // SQLite here instead of the example PostgreSQL: an explicit --data wins over
  // RACINE_DATABASE_URL (docs/server.md).
  return [...out, '--data', join(runDir, store)];
}
function serveEnv(skip = []) {
  const env = { PATH: process.env.PATH, HOME: runDir, LANG: 'C.UTF-8' };
  for (const e of container.env || []) {
    if (skip.includes(e.name)) continue;
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom && e.valueFrom.secretKeyRef) env[e.name] = decoded[e.valueFrom.secretKeyRef.key];
    else throw new Error(`env ${e.name}: a kind of value this test cannot give`);
  }
  if (env.TMPDIR) env.TMPDIR = join(runDir, 'tmp');
  return env;
}
function startRacine(env) {
  return new Promise((ok, bad) => {
    const child = spawn(racine, serveArgs(), { env, cwd: runDir, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    let err = '';
    const timer = setTimeout(() => bad(new Error(`racine serve did not start in 30 s: ${out}${err}`)), 30000);
    child.stdout.on('data', c => {
      out += c;
      const m = out.match(/serving on http:\/\/127\.0\.0\.1:(\d+)\/ \(([^;]*);/);
      if (m) { clearTimeout(timer); ok({ child, port: Number(m[1]), where: m[2], output: () => out }); }
    });
    child.stderr.on('data', c => { err += c; });
    child.on('exit', code => { clearTimeout(timer); bad(Object.assign(new Error(`racine serve exited ${code}: ${out}${err}`), { code, err })); });
  });
}
const get = async (port, path) => {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(10000) });
  return { status: res.status, text: await res.text() };
};
const runHealthcheck = port => spawnSync(healthcheck[0], healthcheck.slice(1).map(a => a.replace(/\/dev\/tcp\/127\.0\.0\.1\/\d+/, `/dev/tcp/127.0.0.1/${port}`)),
  { encoding: 'utf8', timeout: 10000 });

let server = null;
let served = null;
await check('racine serve starts with the Deployment\'s command, arguments, environment and racine.toml', async () => {
  server = await startRacine(serveEnv());
  assert.match(server.where, /racine\.db$/, 'SQLite in the test folder');
});
if (!server) done('kubernetes_manifests');

await check('racine refuses to start when the Secret\'s OIDC variable is missing (so the name matters)', async () => {
  const issuerSecret = Object.entries(config).find(([s]) => s.startsWith('issuer.'))[1]['client-secret-env'];
  const r = spawnSync(racine, serveArgs('data-without-secret'),
    { env: serveEnv([issuerSecret]), cwd: runDir, encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, new RegExp(`\\$${issuerSecret} is not set`));
});

await check('the probes\' paths answer on the live racine: /healthz 200, /readyz 200 ready', async () => {
  const live = await get(server.port, container.livenessProbe.httpGet.path);
  assert.equal(live.status, 200);
  const ready = await get(server.port, container.readinessProbe.httpGet.path);
  assert.equal(ready.status, 200);
  assert.deepEqual(JSON.parse(ready.text), { status: 'ready' });
  const startup = await get(server.port, container.startupProbe.httpGet.path);
  assert.equal(startup.status, 200);
});

await check('the Containerfile\'s HEALTHCHECK command passes against the live racine', () => {
  const r = runHealthcheck(server.port);
  assert.equal(r.status, 0, `HEALTHCHECK failed: ${r.stdout}${r.stderr}`);
});

await check('/metrics is served and read', async () => {
  const m = await get(server.port, '/metrics');
  assert.equal(m.status, 200);
  served = parseMetrics(m.text);
  for (const name of ['racine_http_requests_total', 'racine_store_errors_total', 'racine_outbox_dead',
    'racine_outbox_oldest_pending_age_seconds', 'racine_deliveries_total'])
    assert.ok(served.has(name), `racine serves ${name}`);
  console.log(`    ${served.size} metric names served: ${[...served.keys()].join(', ')}`);
});
if (!served) done('kubernetes_manifests');

await check('the PromQL check itself refuses an unknown metric, label or value and a syntax error', () => {
  const cases = [
    ['rate(racine_outbox_dead_letters[5m]) > 0', /serves no metric racine_outbox_dead_letters/],
    ['sum(rate(racine_http_requests_total{statuss="500"}[5m]))', /has no label statuss/],
    ['racine_deliveries_total{outcome="lost"}', /is never served/],
    ['sum by (outcom) (racine_deliveries_total)', /grouping by outcom/],
    ['sum by (namespace) (rate(racine_store_errors_total[5m]) >', /does not parse/],
  ];
  for (const [expr, problem] of cases) assert.match(promqlProblems(expr, served).problems.join('\n'), problem, expr);
  assert.deepEqual(promqlProblems('sum by (namespace, outcome) (rate(racine_deliveries_total{outcome="dead", pod!=""}[5m]))', served).problems, []);
});

const rule = one('PrometheusRule');
const alerts = rule.spec.groups.flatMap(g => g.rules);
await check('every alert of the PrometheusRule parses and names only what racine serves', () => {
  const problems = [];
  for (const a of alerts) {
    for (const p of promqlProblems(String(a.expr), served).problems) problems.push(`${a.alert}: ${p}`);
  }
  assert.deepEqual(problems, []);
  console.log(`    ${alerts.length} alerts: ${alerts.map(a => a.alert).join(', ')}`);
});

await check('the alerts: dead letters, outbox lag, store errors and reachability, each labelled and explained', () => {
  const names = alerts.map(a => a.alert);
  assert.equal(new Set(names).size, names.length, 'alert names are unique');
  const using = metric => alerts.filter(a => promqlProblems(String(a.expr), served).used.has(metric)).map(a => a.alert);
  for (const metric of ['racine_outbox_dead', 'racine_outbox_oldest_pending_age_seconds', 'racine_store_errors_total'])
    assert.ok(using(metric).length, `no alert on ${metric}`);
  assert.ok(alerts.some(a => /unless racine_outbox_pending/.test(a.expr) && a.labels.severity === 'critical'),
    'a critical alert for a pod whose /metrics lacks the store\'s gauges');
  for (const a of alerts) {
    assert.ok(['critical', 'warning', 'info'].includes(a.labels.severity), `${a.alert}: severity`);
    assert.ok(a.annotations.summary && a.annotations.description, `${a.alert}: summary and description`);
    if (a.for) seconds(a.for);
  }
});

const dashboard = JSON.parse(dashboardMap.data['racine-dashboard.json']);
await check('the Grafana dashboard: its queries parse and name only what racine serves', () => {
  assert.ok(dashboard.uid && dashboard.title);
  const vars = dashboard.templating.list;
  const ds = vars.find(v => v.type === 'datasource');
  assert.ok(ds && ds.query === 'prometheus', 'a Prometheus data source variable');
  const problems = [];
  const ids = new Set();
  for (const p of dashboard.panels) {
    assert.ok(!ids.has(p.id), `panel id ${p.id} twice`);
    ids.add(p.id);
    assert.ok(p.gridPos.x + p.gridPos.w <= 24, `${p.title}: wider than the grid`);
    if (p.type === 'row') continue;
    assert.ok(p.targets && p.targets.length, `${p.title}: no query`);
    for (const t of [p, ...p.targets]) assert.deepEqual(t.datasource, { type: 'prometheus', uid: '${' + ds.name + '}' }, `${p.title}: data source`);
    for (const t of p.targets) for (const x of promqlProblems(grafanaToPromql(t.expr), served).problems) problems.push(`${p.title}: ${x}`);
  }
  for (const v of vars.filter(v => v.type === 'query')) {
    const q = typeof v.query === 'string' ? v.query : v.query.query;
    const m = q.match(/^label_values\((\w+),\s*(\w+)\)$/);
    assert.ok(m, `variable ${v.name}: ${q}`);
    assert.ok(served.has(m[1]), `variable ${v.name}: racine serves no ${m[1]}`);
    assert.ok(targetLabels.has(m[2]) || served.get(m[1]).some(s => m[2] in s), `variable ${v.name}: no label ${m[2]}`);
  }
  assert.deepEqual(problems, []);
});

await check('the dashboard shows every metric racine serves', () => {
  const shown = new Set(dashboard.panels.filter(p => p.targets).flatMap(p => p.targets.flatMap(t => [...promqlProblems(grafanaToPromql(t.expr), served).used])));
  // A histogram is shown by any of its series.
  const family = n => n.replace(/_(bucket|sum|count)$/, '');
  const shownFamilies = new Set([...shown].map(family));
  const absent = [...served.keys()].filter(n => !shown.has(n) && !shownFamilies.has(family(n)));
  assert.deepEqual(absent, [], 'add a panel for it to deploy/kubernetes/monitoring/racine-dashboard.json');
});

await check('racine stops on SIGTERM within the grace period less the preStop pause, exit 0', async () => {
  const started = Date.now();
  const exited = new Promise(ok => server.child.once('exit', (code, signal) => ok({ code, signal })));
  server.child.kill('SIGTERM');
  const { code } = await exited;
  const took = (Date.now() - started) / 1000;
  assert.equal(code, 0);
  assert.match(server.output(), /racine: stopped/);
  const budget = pod.spec.terminationGracePeriodSeconds - Number(container.lifecycle.preStop.exec.command[1]);
  assert.ok(took < budget, `stopped in ${took} s, over ${budget} s`);
});

await check('the HEALTHCHECK command fails once racine stopped (so it can fail)', () => {
  const r = runHealthcheck(server.port);
  assert.notEqual(r.status, 0);
});

done('kubernetes_manifests');
