// k8s/: the example overlay builds with `kubectl kustomize`, every object
// validates against its schema (kubernetes-models for built-in kinds, the
// CRDs in ../shared/reference for HTTPRoute and SealedSecret), and the pieces
// fit together: what the Deployment reads exists, the RBAC is exactly what
// the kubernetes plugin lists, probes and resources follow the rules in the
// README.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { repoRoot } from '../e2e/lib/stage.mjs';

const require = createRequire(path.join(repoRoot, 'package.json'));
const YAML = require('yaml');
const Ajv = require('ajv');

const referenceDir =
  process.env.HOMELAB_REFERENCE_DIR ??
  path.join(repoRoot, '../shared/reference');

function kustomize(dir) {
  try {
    return execFileSync('kubectl', ['kustomize', dir], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    if (error.code === 'ENOENT') {
      throw new Error(
        'kubectl is not installed: the manifests are built with `kubectl kustomize` (kubectl 1.27 or newer).',
      );
    }
    throw new Error(`kubectl kustomize ${dir} failed: ${error.stderr}`);
  }
}

const objects = YAML.parseAllDocuments(kustomize('k8s/overlays/example')).map(
  d => d.toJS(),
);
const find = (kind, name) =>
  objects.find(o => o.kind === kind && (!name || o.metadata.name === name));
const deployment = find('Deployment', 'homelab-portal');
const container = deployment.spec.template.spec.containers[0];

/** kubernetes-models module for a built-in apiVersion/kind, or undefined. */
function builtInModel(apiVersion, kind) {
  // Core kinds live at kubernetes-models/v1/<Kind>, the rest at <group>/<version>/<Kind>.
  try {
    return require(`kubernetes-models/${apiVersion}/${kind}`)[kind];
  } catch {
    return undefined;
  }
}

/** The openAPIV3Schema of a CRD version from the reference folder. */
function crdSchema(file, version) {
  const crd = YAML.parse(
    fs.readFileSync(path.join(referenceDir, file), 'utf8'),
  );
  return crd.spec.versions.find(v => v.name === version).schema.openAPIV3Schema;
}
const ajv = new Ajv({ strict: false, allErrors: true });
const crds = {
  'gateway.networking.k8s.io/v1/HTTPRoute': ajv.compile(
    crdSchema('gateway-api/gateway.networking.k8s.io_httproutes.yaml', 'v1'),
  ),
  'bitnami.com/v1alpha1/SealedSecret': ajv.compile(
    crdSchema('sealed-secrets/bitnami.com_sealedsecrets.yaml', 'v1alpha1'),
  ),
};

/**
 * The one object with no schema here: Cilium's CRD is not in the reference
 * folder. Checked against the fields of cilium.io/v2 CiliumNetworkPolicy
 * (pkg/k8s/apis/cilium.io/client/crds/v2/ciliumnetworkpolicies.yaml) the
 * file uses: no others, and entities from Cilium's list.
 */
function checkCiliumPolicy(o) {
  const entities = [
    'all',
    'world',
    'cluster',
    'host',
    'init',
    'ingress',
    'unmanaged',
    'remote-node',
    'health',
    'none',
    'kube-apiserver',
  ];
  assert.deepEqual(Object.keys(o.spec).sort(), ['endpointSelector', 'ingress']);
  for (const rule of o.spec.ingress) {
    assert.deepEqual(Object.keys(rule).sort(), ['fromEntities', 'toPorts']);
    for (const e of rule.fromEntities) assert.ok(entities.includes(e), e);
    for (const p of rule.toPorts.flatMap(t => t.ports)) {
      assert.match(p.port, /^\d+$/);
      assert.equal(p.protocol, 'TCP');
    }
  }
}

test('the example overlay builds and every object validates against its schema', () => {
  assert.ok(objects.length >= 15, `only ${objects.length} objects`);
  for (const o of objects) {
    const id = `${o.apiVersion}/${o.kind} ${o.metadata?.name}`;
    if (o.apiVersion === 'cilium.io/v2' && o.kind === 'CiliumNetworkPolicy') {
      checkCiliumPolicy(o);
      continue;
    }
    const validate = crds[`${o.apiVersion}/${o.kind}`];
    if (validate) {
      assert.ok(validate(o), `${id}: ${ajv.errorsText(validate.errors)}`);
      continue;
    }
    const Model = builtInModel(o.apiVersion, o.kind);
    assert.ok(Model, `${id}: no schema to validate it against`);
    assert.doesNotThrow(() => new Model(o).validate(), id);
  }
});

test('the schema check catches a broken object (the test can fail)', () => {
  const Model = builtInModel('apps/v1', 'Deployment');
  const broken = structuredClone(deployment);
  broken.spec.replicas = 'two';
  assert.throws(() => new Model(broken).validate());
  const route = structuredClone(find('HTTPRoute'));
  route.spec.parentRefs[0].port = 'https';
  assert.equal(crds['gateway.networking.k8s.io/v1/HTTPRoute'](route), false);
});

test('namespaced objects live in homelab-portal, except the sealed-secrets Role', () => {
  for (const o of objects) {
    if (['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind))
      continue;
    const expected =
      o.metadata.name === 'homelab-portal-sealed-secrets'
        ? 'kube-system'
        : 'homelab-portal';
    assert.equal(
      o.metadata.namespace,
      expected,
      `${o.kind} ${o.metadata.name}`,
    );
  }
});

test('the ClusterRole grants exactly what the kubernetes plugin lists', () => {
  // What the installed plugin fetches, from the backend's own dependency.
  const { DEFAULT_OBJECTS } = createRequire(
    path.join(repoRoot, 'packages/backend/package.json'),
  )('@backstage/plugin-kubernetes-backend');
  const production = YAML.parse(
    fs.readFileSync(path.join(repoRoot, 'app-config.production.yaml'), 'utf8'),
  );
  const customResources = production.kubernetes.clusterLocatorMethods.flatMap(
    m => (m.clusters ?? []).flatMap(c => c.customResources ?? []),
  );
  const expected = new Set([
    ...DEFAULT_OBJECTS.map(o => `${o.group}/${o.plural}:list`),
    // Pod CPU and memory from metrics-server.
    'metrics.k8s.io/pods:list',
    ...customResources.map(r => `${r.group}/${r.plural}:list`),
    // The log dialog through the proxy (home-admins only, by permission).
    '/pods/log:get',
  ]);
  const granted = new Set(
    find('ClusterRole', 'homelab-portal-read').rules.flatMap(rule =>
      rule.apiGroups.flatMap(g =>
        rule.resources.flatMap(r => rule.verbs.map(v => `${g}/${r}:${v}`)),
      ),
    ),
  );
  assert.deepEqual([...granted].sort(), [...expected].sort());
  assert.ok(![...granted].some(g => g.includes('secrets')), 'no Secrets');
  const binding = find('ClusterRoleBinding', 'homelab-portal-read');
  assert.deepEqual(binding.subjects, [
    {
      kind: 'ServiceAccount',
      name: 'homelab-portal',
      namespace: 'homelab-portal',
    },
  ]);
  assert.equal(
    deployment.spec.template.spec.serviceAccountName,
    find('ServiceAccount').metadata.name,
  );
});

test('the Deployment runs non-root on a read-only root with its writable paths mounted', () => {
  const pod = deployment.spec.template.spec;
  assert.equal(pod.securityContext.runAsNonRoot, true);
  assert.notEqual(pod.securityContext.runAsUser, 0);
  assert.equal(container.securityContext.readOnlyRootFilesystem, true);
  assert.equal(container.securityContext.allowPrivilegeEscalation, false);
  assert.deepEqual(container.securityContext.capabilities.drop, ['ALL']);
  const mounts = Object.fromEntries(
    container.volumeMounts.map(m => [m.mountPath, m.name]),
  );
  const config = find('ConfigMap', 'homelab-portal-config').data;
  // /tmp holds scaffolder workspaces and mkdocs builds; TECHDOCS_DIR the docs.
  assert.ok(mounts['/tmp'], 'a writable /tmp');
  assert.ok(mounts[config.TECHDOCS_DIR], `a writable ${config.TECHDOCS_DIR}`);
  const volumes = Object.fromEntries(pod.volumes.map(v => [v.name, v]));
  assert.ok(volumes[mounts['/tmp']].emptyDir);
  const claim =
    volumes[mounts[config.TECHDOCS_DIR]].persistentVolumeClaim.claimName;
  const pvc = find('PersistentVolumeClaim', claim);
  assert.ok(pvc, `PVC ${claim}`);
  assert.deepEqual(
    pvc.spec.accessModes,
    ['ReadWriteMany'],
    'shared by the replicas',
  );
});

test('probes use the backend health endpoints, with a start budget covering a slow boot', () => {
  assert.equal(
    container.livenessProbe.httpGet.path,
    '/.backstage/health/v1/liveness',
  );
  assert.equal(
    container.readinessProbe.httpGet.path,
    '/.backstage/health/v1/readiness',
  );
  const start = container.startupProbe;
  // Readiness, not liveness: a replica whose start failed still answers liveness.
  assert.equal(start.httpGet.path, '/.backstage/health/v1/readiness');
  const budgetSeconds = start.periodSeconds * start.failureThreshold;
  assert.ok(budgetSeconds >= 300, `start budget ${budgetSeconds} s`);
  const port = container.ports.find(p => p.name === start.httpGet.port);
  assert.equal(port.containerPort, 7007);
});

function mebibytes(quantity) {
  const m = /^(\d+)(Mi|Gi)$/.exec(quantity);
  assert.ok(m, `unexpected quantity ${quantity}`);
  return Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1);
}

test('memory: request within the limit, one heap cap below the limit, same as the image', () => {
  const { requests, limits } = container.resources;
  assert.ok(mebibytes(requests.memory) <= mebibytes(limits.memory));
  const nodeOptions = container.env.filter(e => e.name === 'NODE_OPTIONS');
  assert.equal(nodeOptions.length, 1, 'NODE_OPTIONS set once');
  const heap = Number(
    /--max-old-space-size=(\d+)/.exec(nodeOptions[0].value)[1],
  );
  // Room for buffers, native memory and mkdocs children above the heap.
  assert.ok(heap <= mebibytes(limits.memory) * 0.7, `heap ${heap} MiB`);
  const dockerfile = fs.readFileSync(
    path.join(repoRoot, 'packages/backend/Dockerfile'),
    'utf8',
  );
  assert.ok(
    dockerfile.includes(`ENV NODE_OPTIONS="${nodeOptions[0].value}"`),
    'the image and the Deployment agree on NODE_OPTIONS',
  );
});

test('every variable app-config.production.yaml needs is given to the container', () => {
  const text = fs.readFileSync(
    path.join(repoRoot, 'app-config.production.yaml'),
    'utf8',
  );
  const needed = new Set(
    [...text.matchAll(/^[^#\n]*\$\{([A-Z0-9_]+)\}/gm)].map(m => m[1]),
  );
  const config = find('ConfigMap', 'homelab-portal-config').data;
  const sealed = find('SealedSecret', 'homelab-portal').spec.encryptedData;
  const given = new Set(Object.keys(config));
  for (const e of container.env) {
    if (e.value !== undefined) given.add(e.name);
    const ref = e.valueFrom?.secretKeyRef;
    if (ref) {
      assert.equal(ref.name, 'homelab-portal');
      assert.ok(
        ref.key in sealed,
        `${e.name}: key ${ref.key} is in the SealedSecret`,
      );
      given.add(e.name);
    }
  }
  assert.deepEqual(
    [...needed].filter(v => !given.has(v)),
    [],
  );
  // Files from the Secret: each key the volume maps is sealed too.
  for (const v of deployment.spec.template.spec.volumes) {
    for (const item of v.secret?.items ?? []) {
      assert.ok(item.key in sealed, `file ${item.path} from key ${item.key}`);
    }
  }
});

test('Service, HTTPRoute, PodDisruptionBudget and NetworkPolicy point at the right Pods', () => {
  const labels = deployment.spec.template.metadata.labels;
  const matches = selector =>
    Object.entries(selector).every(([k, v]) => labels[k] === v);
  const service = find('Service', 'homelab-portal');
  assert.ok(matches(service.spec.selector));
  assert.ok(
    container.ports.some(p => p.name === service.spec.ports[0].targetPort),
  );
  assert.ok(matches(find('PodDisruptionBudget').spec.selector.matchLabels));
  const route = find('HTTPRoute');
  const [parent] = route.spec.parentRefs;
  assert.ok(['internal', 'external'].includes(parent.name));
  assert.equal(parent.namespace, 'kube-system');
  assert.equal(parent.sectionName, 'https');
  assert.deepEqual(route.spec.rules[0].backendRefs, [
    { name: service.metadata.name, port: service.spec.ports[0].port },
  ]);
  const baseUrl = new URL(
    find('ConfigMap', 'homelab-portal-config').data.PORTAL_BASE_URL,
  );
  assert.deepEqual(route.spec.hostnames, [baseUrl.hostname]);
  const policy = find('NetworkPolicy', 'homelab-portal-postgres');
  assert.ok(
    policy.spec.ingress[0].from.some(f => matches(f.podSelector.matchLabels)),
    'the portal may reach the database',
  );
  const db = find('StatefulSet', 'homelab-portal-postgres');
  assert.deepEqual(policy.spec.podSelector.matchLabels, {
    'app.kubernetes.io/name':
      db.spec.template.metadata.labels['app.kubernetes.io/name'],
  });
  assert.equal(
    find('ConfigMap', 'homelab-portal-config').data.POSTGRES_HOST,
    find('Service', 'homelab-portal-postgres').metadata.name,
  );
});

test("the portal's NetworkPolicy: in from the Gateway only, out to what the config reaches", () => {
  const policy = find('NetworkPolicy', 'homelab-portal');
  const labels = deployment.spec.template.metadata.labels;
  assert.deepEqual(policy.spec.podSelector.matchLabels, {
    'app.kubernetes.io/name': labels['app.kubernetes.io/name'],
    'app.kubernetes.io/component': labels['app.kubernetes.io/component'],
  });
  assert.deepEqual(policy.spec.policyTypes, ['Ingress', 'Egress']);
  const route = find('HTTPRoute');
  assert.deepEqual(policy.spec.ingress, [
    {
      from: [
        {
          namespaceSelector: {
            matchLabels: {
              'kubernetes.io/metadata.name': route.spec.parentRefs[0].namespace,
            },
          },
        },
      ],
      ports: [{ port: 'http', protocol: 'TCP' }],
    },
  ]);
  const cilium = find('CiliumNetworkPolicy', 'homelab-portal-gateway');
  assert.deepEqual(
    cilium.spec.endpointSelector.matchLabels,
    policy.spec.podSelector.matchLabels,
  );
  assert.deepEqual(cilium.spec.ingress[0].fromEntities, ['ingress']);
  assert.equal(
    cilium.spec.ingress[0].toPorts[0].ports[0].port,
    String(container.ports.find(p => p.name === 'http').containerPort),
  );

  /** Ports the policy lets out, to pods (by name label) or to addresses. */
  const out = policy.spec.egress.flatMap(rule =>
    rule.to.flatMap(to =>
      rule.ports.map(p => ({
        to:
          to.podSelector?.matchLabels?.['app.kubernetes.io/name'] ??
          to.podSelector?.matchLabels?.['k8s-app'] ??
          to.ipBlock.cidr,
        port: p.port,
        protocol: p.protocol,
      })),
    ),
  );
  const allows = (to, port) =>
    out.some(o => o.to === to && o.port === port && o.protocol === 'TCP');
  const config = find('ConfigMap', 'homelab-portal-config').data;
  const db = find('Service', config.POSTGRES_HOST);
  assert.ok(
    allows(
      db.spec.selector['app.kubernetes.io/name'],
      Number(config.POSTGRES_PORT),
    ),
  );
  assert.ok(
    out.some(o => o.to === 'kube-dns' && o.port === 53 && o.protocol === 'UDP'),
  );
  const lan = policy.spec.egress[2].to[0].ipBlock.cidr;
  const proxmoxPort = Number(new URL(config.PROXMOX_URL).port || 443);
  for (const [what, port] of [
    ['Proxmox (PROXMOX_URL)', proxmoxPort],
    ['the Talos API (apid)', 50000],
    ['the Kubernetes API server on the control-plane nodes', 6443],
    ['the OIDC issuer and the forge behind the Gateway', 443],
  ]) {
    assert.ok(allows(lan, port), `${what}: ${port} on ${lan}`);
  }
  const internet = policy.spec.egress.find(
    r => r.to[0].ipBlock?.cidr === '0.0.0.0/0',
  );
  assert.deepEqual(
    internet.ports,
    [{ port: 443, protocol: 'TCP' }],
    'HTTPS only',
  );
  assert.deepEqual(internet.to[0].ipBlock.except, [
    '10.0.0.0/8',
    '172.16.0.0/12',
    '192.168.0.0/16',
  ]);
});

test('the sealed-secrets Role grants exactly the GET the portal makes', () => {
  const base = YAML.parse(
    fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
  );
  const { namespace, name, port } =
    base.homelab.gitops.sealedSecrets.controller;
  assert.ok(port, 'a port name, so the Service need not be read');
  const role = find('Role', 'homelab-portal-sealed-secrets');
  assert.equal(role.metadata.namespace, namespace);
  assert.deepEqual(role.rules, [
    {
      apiGroups: [''],
      resources: ['services/proxy'],
      resourceNames: [`http:${name}:${port}`],
      verbs: ['get'],
    },
  ]);
});

test('the database is backed up every night to its own volume', () => {
  const job = find('CronJob', 'homelab-portal-backup');
  const pod = job.spec.jobTemplate.spec.template.spec;
  const [c] = pod.containers;
  assert.match(c.command.join(' '), /pg_dump --format=custom/);
  const claim = pod.volumes[0].persistentVolumeClaim.claimName;
  assert.ok(find('PersistentVolumeClaim', claim));
  assert.equal(c.securityContext.readOnlyRootFilesystem, true);
});
