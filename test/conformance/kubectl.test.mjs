// kubectl, a client we did not write, against the demo homelab's Kubernetes
// API. Each assertion states what a real kube-apiserver answers for the same
// command with the same RBAC (scenario `kubernetes.rbac`). Runs with the
// machine's kubectl (1.32 here; Debian's kubernetes-client 1.20 in CI when
// nothing newer is installed).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Sim } from '../e2e/lib/sim.mjs';
import {
  kubectl,
  kubectlVersion,
  streamKubectl,
  writeKubeconfigs,
} from './lib/kubectl.mjs';
import { sealStrict } from './lib/seal.mjs';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-kubectl-'));
const sim = new Sim({
  stateDir: path.join(workDir, 'sim'),
  only: ['kubernetes'],
});
let as;
let version;

before(async () => {
  await sim.start();
  as = writeKubeconfigs(sim, workDir);
  version = await kubectlVersion();
  console.log(`# kubectl ${version.gitVersion}`);
});

after(async () => {
  await sim.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
});

/** The column headers of `kubectl get` output. */
const headers = out =>
  out
    .split('\n')[0]
    .trim()
    .split(/\s{2,}/);
const rowOf = (out, name) =>
  out
    .split('\n')
    .find(l => l.split(/\s+/).includes(name))
    ?.trim()
    .split(/\s{2,}/);

test('kubectl get pods prints the server-side columns, the crash loop included', async () => {
  // Real: kube-apiserver's pod printer; a container in back-off shows its
  // waiting reason, and RESTARTS carries "(<age> ago)" since kubectl 1.24.
  const r = await kubectl(as.portal, ['get', 'pods', '-n', 'documents']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(headers(r.stdout), [
    'NAME',
    'READY',
    'STATUS',
    'RESTARTS',
    'AGE',
  ]);
  const [name, ready, status, restarts] = r.stdout
    .split('\n')[1]
    .split(/\s{2,}/);
  assert.match(name, /^paperless-ngx-/);
  assert.equal(ready, '0/1');
  assert.equal(status, 'CrashLoopBackOff');
  assert.match(restarts, /^\d+ \(\d+m(\d+s)? ago\)$/);
});

test('kubectl get nodes -o wide shows the priority-1 columns', async () => {
  // Real: the node printer's wide columns; Talos reports "Talos (vX.Y.Z)"
  // as the OS image (notes/talos-api.md §7).
  const r = await kubectl(as.portal, ['get', 'nodes', '-o', 'wide']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(headers(r.stdout), [
    'NAME',
    'STATUS',
    'ROLES',
    'AGE',
    'VERSION',
    'INTERNAL-IP',
    'EXTERNAL-IP',
    'OS-IMAGE',
    'KERNEL-VERSION',
    'CONTAINER-RUNTIME',
  ]);
  const cp = rowOf(r.stdout, 'talos-cp-1');
  assert.deepEqual(cp.slice(1, 3), ['Ready', 'control-plane']);
  assert.equal(cp[5], '192.168.1.21');
  assert.match(cp[7], /^Talos \(v1\.\d+\.\d+\)$/);
});

test('kubectl get of custom resources uses the CRD printer columns', async () => {
  // Real: apiextensions-apiserver prints additionalPrinterColumns; an array
  // value prints as JSON.
  const routes = await kubectl(as.portal, ['get', 'httproutes', '-n', 'media']);
  assert.equal(routes.code, 0, routes.stderr);
  assert.deepEqual(headers(routes.stdout), ['NAME', 'HOSTNAMES', 'AGE']);
  assert.equal(
    rowOf(routes.stdout, 'jellyfin')[1],
    '["media.home.example.org"]',
  );

  const sealed = await kubectl(as.admin, ['get', 'sealedsecrets', '-A']);
  assert.deepEqual(headers(sealed.stdout), [
    'NAMESPACE',
    'NAME',
    'STATUS',
    'SYNCED',
    'AGE',
  ]);
  const broken = rowOf(sealed.stdout, 'vaultwarden-admin');
  assert.equal(broken[2], 'no key could decrypt secret (ADMIN_TOKEN)');
  assert.equal(broken[3], 'False');
});

test('kubectl auth can-i answers from the scenario RBAC, per identity', async () => {
  // Real: a SelfSubjectAccessReview; "yes" exits 0, "no" exits 1.
  const can = async (who, ...args) =>
    (await kubectl(as[who], ['auth', 'can-i', ...args])).code === 0;
  assert.equal(await can('portal', 'list', 'pods'), true);
  assert.equal(await can('portal', 'list', 'secrets'), false);
  assert.equal(await can('family', 'list', 'pods', '-n', 'media'), true);
  assert.equal(await can('family', 'list', 'nodes'), false);
  assert.equal(await can('admin', 'delete', 'secrets', '-A'), true);
  // The sealed-secrets chart's service-proxier Role names the ids it allows.
  const proxy = name => [
    'get',
    `services/${name}`,
    '--subresource=proxy',
    '-n',
    'kube-system',
  ];
  assert.equal(
    await can('portal', ...proxy('http:sealed-secrets-controller:http')),
    true,
  );
  assert.equal(
    await can('portal', ...proxy('http:sealed-secrets-controller:8080')),
    false,
  );
});

test('forbidden is 403 with RBAC wording, missing is 404', async () => {
  // Real: authorization runs before the object is looked up.
  const forbidden = await kubectl(as.family, ['get', 'secrets', '-n', 'media']);
  assert.notEqual(forbidden.code, 0);
  assert.match(
    forbidden.stderr,
    /Error from server \(Forbidden\): secrets is forbidden: User "jordan" cannot list resource "secrets" in API group "" in the namespace "media"/,
  );
  const missing = await kubectl(as.admin, [
    'get',
    'secret',
    'nope',
    '-n',
    'media',
  ]);
  assert.match(
    missing.stderr,
    /Error from server \(NotFound\): secrets "nope" not found/,
  );
});

test('kubectl get -w prints the list, then the changes as they happen', async () => {
  // Real: list, then a watch from the list's resourceVersion; a new object
  // is one more row. Bounded: the stream is stopped by the test.
  const watch = streamKubectl(as.admin, [
    'get',
    'configmaps',
    '-n',
    'media',
    '-w',
  ]);
  try {
    await watch.waitFor(/kube-root-ca\.crt/);
    const manifest = path.join(workDir, 'configmap.json');
    fs.writeFileSync(
      manifest,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'watched-by-kubectl', namespace: 'media' },
        data: { greeting: 'hello' },
      }),
    );
    // --validate=false: the sim serves no OpenAPI document to validate with.
    const created = await kubectl(as.admin, [
      'create',
      '--validate=false',
      '-f',
      manifest,
    ]);
    assert.equal(created.code, 0, created.stderr);
    await watch.waitFor(/watched-by-kubectl\s+1\s+/, 10_000);
    assert.equal(watch.exitCode, null, 'kubectl -w is still watching');
  } finally {
    await watch.stop();
  }
});

test('kubectl get -w ends cleanly when the server closes the watch', async () => {
  // Real: the server ends each watch at its timeout; with --request-timeout
  // kubectl stops.
  const watch = streamKubectl(as.admin, [
    'get',
    'leases',
    '-n',
    'kube-node-lease',
    '-w',
    '--request-timeout=3s',
  ]);
  await watch.waitFor(/talos-worker-1/);
  const code = await Promise.race([
    watch.ended,
    new Promise(r => setTimeout(() => r('still running'), 15_000)),
  ]);
  await watch.stop();
  assert.notEqual(code, 'still running');
});

test('kubectl logs -f follows a running container and ends with a crashed one', async () => {
  // Real: the kubelet streams a running container's output until it exits;
  // for a container waiting in back-off it returns the last run and ends.
  const pods = await kubectl(as.portal, [
    'get',
    'pods',
    '-n',
    'media',
    '-l',
    'app.kubernetes.io/name=jellyfin',
    '-o',
    'name',
  ]);
  const jellyfin = pods.stdout.trim().split('\n')[0];
  assert.match(jellyfin, /^pod\/jellyfin-0$/);
  const follow = streamKubectl(as.portal, [
    'logs',
    '-f',
    '-n',
    'media',
    jellyfin,
  ]);
  try {
    await follow.waitFor(/Listening on 0\.0\.0\.0:8096/);
    await new Promise(r => setTimeout(r, 2000));
    assert.equal(follow.exitCode, null, 'logs -f keeps following');
  } finally {
    await follow.stop();
  }

  const crashing = (
    await kubectl(as.portal, ['get', 'pods', '-n', 'documents', '-o', 'name'])
  ).stdout.trim();
  const ended = streamKubectl(as.portal, [
    'logs',
    '-f',
    '-n',
    'documents',
    crashing,
  ]);
  const code = await Promise.race([
    ended.ended,
    new Promise(r => setTimeout(() => r('still running'), 15_000)),
  ]);
  await ended.stop();
  assert.equal(code, 0);
  assert.match(ended.output(), /Startup failed, exiting with status 1/);
});

test('a SealedSecret created with kubectl becomes a Secret the controller owns', async () => {
  // Real: the sealed-secrets controller unseals it into a Secret with an
  // ownerReference to the SealedSecret; the portal's token cannot read it.
  const cert = await kubectl(as.portal, [
    'get',
    '--raw',
    '/api/v1/namespaces/kube-system/services/http:sealed-secrets-controller:http/proxy/v1/cert.pem',
  ]);
  assert.match(cert.stdout, /BEGIN CERTIFICATE/);
  const manifest = path.join(workDir, 'sealed.json');
  fs.writeFileSync(
    manifest,
    JSON.stringify(
      sealStrict(cert.stdout, {
        name: 'linkding-superuser',
        namespace: 'productivity',
        values: { LD_SUPERUSER_PASSWORD: 'kubectl made me' },
      }),
    ),
  );
  const created = await kubectl(as.admin, [
    'create',
    '--validate=false',
    '-f',
    manifest,
  ]);
  assert.equal(created.code, 0, created.stderr);
  const secret = await kubectl(as.admin, [
    'get',
    'secret',
    'linkding-superuser',
    '-n',
    'productivity',
    '-o',
    'jsonpath={.data.LD_SUPERUSER_PASSWORD}',
  ]);
  assert.equal(
    Buffer.from(secret.stdout, 'base64').toString(),
    'kubectl made me',
  );
  const denied = await kubectl(as.portal, [
    'get',
    'secrets',
    '-n',
    'productivity',
  ]);
  assert.match(denied.stderr, /\(Forbidden\)/);
});

test('kubectl create secret generic and create configmap are read from the protobuf kubectl sends', async () => {
  // Real: kubectl's typed client posts these as
  // application/vnd.kubernetes.protobuf; the API server defaults an empty
  // Secret type to Opaque, keeps empty values, and a ConfigMap holds a file
  // that is not UTF-8 under binaryData.
  const logo = path.join(workDir, 'logo.bin');
  fs.writeFileSync(logo, Buffer.from([0xff, 0x00, 0xfe, 0x80]));
  const secret = await kubectl(as.admin, [
    'create',
    'secret',
    'generic',
    'paperless-extra',
    '-n',
    'documents',
    '--from-literal=PAPERLESS_SECRET_KEY=kubectl made me',
    '--from-literal=PAPERLESS_EMPTY=',
  ]);
  assert.equal(secret.code, 0, secret.stderr);
  assert.match(secret.stdout, /^secret\/paperless-extra created/);
  const configMap = await kubectl(as.admin, [
    'create',
    'configmap',
    'paperless-theme',
    '-n',
    'documents',
    '--from-literal=PAPERLESS_TIME_ZONE=Europe/Berlin',
    `--from-file=logo.bin=${logo}`,
  ]);
  assert.equal(configMap.code, 0, configMap.stderr);
  const read = async (kind, name) =>
    JSON.parse(
      (
        await kubectl(as.admin, [
          'get',
          kind,
          name,
          '-n',
          'documents',
          '-o',
          'json',
        ])
      ).stdout,
    );
  const storedSecret = await read('secret', 'paperless-extra');
  assert.equal(storedSecret.type, 'Opaque');
  assert.equal(storedSecret.metadata.namespace, 'documents');
  assert.deepEqual(storedSecret.data, {
    PAPERLESS_SECRET_KEY: Buffer.from('kubectl made me').toString('base64'),
    PAPERLESS_EMPTY: '',
  });
  const storedConfigMap = await read('configmap', 'paperless-theme');
  assert.deepEqual(storedConfigMap.data, {
    PAPERLESS_TIME_ZONE: 'Europe/Berlin',
  });
  assert.deepEqual(storedConfigMap.binaryData, {
    'logo.bin': fs.readFileSync(logo).toString('base64'),
  });
  // Real: a second create of the same name is 409 AlreadyExists; kubectl
  // 1.32 prints "failed to create secret <message>", 1.20 "Error from
  // server (AlreadyExists): <message>".
  const again = await kubectl(as.admin, [
    'create',
    'secret',
    'generic',
    'paperless-extra',
    '-n',
    'documents',
    '--from-literal=A=b',
  ]);
  assert.match(
    again.stderr,
    /(failed to create secret|\(AlreadyExists\):) secrets "paperless-extra" already exists/,
  );
  for (const [kind, name] of [
    ['secret', 'paperless-extra'],
    ['configmap', 'paperless-theme'],
  ]) {
    const deleted = await kubectl(as.admin, [
      'delete',
      kind,
      name,
      '-n',
      'documents',
    ]);
    assert.equal(deleted.code, 0, deleted.stderr);
  }
});

/** kubectl 1.27 and newer read /openapi/v3; older ones only /openapi/v2. */
const readsOpenApiV3 = () => version.minor >= 27;

test('kubectl explain reads built-in kinds and custom resources from the OpenAPI documents', async () => {
  // Real: kubectl 1.27+ reads the per-group-version documents of
  // /openapi/v3 (found by x-kubernetes-group-version-kind, fields through
  // $refs, "FIELD: ports <[]ContainerPort>"); older ones read the protobuf
  // /openapi/v2 ("RESOURCE: ports <[]Object>", fields indented by 3).
  const v3 = readsOpenApiV3();
  const field = v3 ? / {2}/.source : / {3}/.source;
  const pods = await kubectl(as.portal, ['explain', 'pods']);
  assert.equal(pods.code, 0, pods.stderr);
  assert.match(pods.stdout, /^KIND:\s+Pod\nVERSION:\s+v1\n/);
  assert.match(pods.stdout, /Pod is a collection of containers/);
  assert.match(
    pods.stdout,
    new RegExp(`^${field}spec\t<${v3 ? 'PodSpec' : 'Object'}>$`, 'm'),
  );
  const ports = await kubectl(as.portal, [
    'explain',
    'deployment.spec.template.spec.containers.ports',
  ]);
  assert.equal(ports.code, 0, ports.stderr);
  assert.match(
    ports.stdout,
    v3
      ? /^FIELD: ports <\[\]ContainerPort>$/m
      : /^RESOURCE: ports <\[\]Object>$/m,
  );
  assert.match(
    ports.stdout,
    new RegExp(`^${field}containerPort\t<integer> -required-$`, 'm'),
  );
  // A custom resource: its CRD's openAPIV3Schema, descriptions and all.
  const route = await kubectl(as.portal, [
    'explain',
    'httproute.spec.rules.backendRefs',
  ]);
  assert.equal(route.code, 0, route.stderr);
  assert.match(
    route.stdout,
    v3
      ? /^GROUP:\s+gateway.networking.k8s.io$/m
      : /^VERSION:\s+gateway.networking.k8s.io\/v1$/m,
  );
  assert.match(route.stdout, /BackendRefs defines the backend\(s\)/);
  assert.match(route.stdout, new RegExp(`^${field}port\t<integer>$`, 'm'));
  const missing = await kubectl(as.portal, ['explain', 'pods.spec.nope']);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /field "nope" does not exist/);
});

test('kubectl create -f validates against the schema', async () => {
  // Real: kubectl 1.27+ sees fieldValidation on the kind's PATCH operation
  // in /openapi/v3, sends ?fieldValidation=Strict and leaves the check to
  // the server, which refuses unknown fields with 400 and the decoder's
  // path. Older kubectl validates on the client against /openapi/v2.
  const v3 = readsOpenApiV3();
  const manifest = (name, doc) => {
    const file = path.join(workDir, name);
    fs.writeFileSync(file, JSON.stringify(doc));
    return file;
  };
  const route = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'jellyfin-typo', namespace: 'media' },
    spec: {
      parentRefs: [{ name: 'internal', namespace: 'network' }],
      rules: [{ backendRefs: [{ name: 'jellyfin', prot: 8096 }] }],
    },
  };
  const typo = await kubectl(as.admin, [
    'create',
    '-f',
    manifest('route-typo.json', route),
  ]);
  assert.notEqual(typo.code, 0);
  assert.match(
    typo.stderr,
    v3
      ? /\(BadRequest\).*HTTPRoute in version "v1" cannot be handled as a HTTPRoute: strict decoding error: unknown field "spec\.rules\[0\]\.backendRefs\[0\]\.prot"/
      : /ValidationError\(HTTPRoute\.spec\.rules\[0\]\.backendRefs\[0\]\): unknown field "prot" in io\.k8s\.networking\.gateway\.v1\.HTTPRoute\.spec\.rules\.backendRefs/,
  );
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'jellyfin-typo', namespace: 'media' },
    dta: { a: 'b' },
  };
  const cmTypo = await kubectl(as.admin, [
    'create',
    '-f',
    manifest('cm-typo.json', configMap),
  ]);
  assert.match(
    cmTypo.stderr,
    v3
      ? /ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dta"/
      : /ValidationError\(ConfigMap\): unknown field "dta" in io\.k8s\.api\.core\.v1\.ConfigMap/,
  );
  if (v3) {
    // Real: --validate=warn sends fieldValidation=Warn; the server drops
    // the field, creates the object and sends the finding as a Warning
    // header, which kubectl prints.
    const warned = await kubectl(as.admin, [
      'create',
      '--validate=warn',
      '-f',
      manifest('cm-typo.json', configMap),
    ]);
    assert.equal(warned.code, 0, warned.stderr);
    assert.match(warned.stderr, /Warning: unknown field "dta"/);
  }
  const fixed = await kubectl(as.admin, [
    'create',
    '-f',
    manifest('route.json', {
      ...route,
      metadata: { name: 'jellyfin-fixed', namespace: 'media' },
      spec: {
        ...route.spec,
        rules: [{ backendRefs: [{ name: 'jellyfin', port: 8096 }] }],
      },
    }),
  ]);
  assert.equal(fixed.code, 0, fixed.stderr);
  for (const [kind, name] of [
    ['httproute', 'jellyfin-fixed'],
    ['configmap', 'jellyfin-typo'],
  ]) {
    await kubectl(as.admin, ['delete', kind, name, '-n', 'media']);
  }
});
