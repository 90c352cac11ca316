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
