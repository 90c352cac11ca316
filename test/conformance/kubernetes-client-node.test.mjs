// @kubernetes/client-node's informer (list, then watch from the list's
// resourceVersion, with bookmarks) on Node 22 against the demo homelab: the
// cache a controller or the portal would keep. What it must see is what a
// real API server makes it see: the existing objects, then each add, update
// and delete, and an error callback (not a silent stop) when access is
// forbidden.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { Sim } from '../e2e/lib/sim.mjs';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conformance-informer-'));
const sim = new Sim({
  stateDir: path.join(workDir, 'sim'),
  only: ['kubernetes'],
});

before(() => sim.start());
after(async () => {
  await sim.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
});

function kubeConfig(tokenFile) {
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'homelab',
        server: sim.url('kubernetes'),
        caData: Buffer.from(sim.ca).toString('base64'),
      },
    ],
    users: [
      {
        name: 'user',
        token: fs.readFileSync(
          path.join(sim.stateDir, 'kubernetes', tokenFile),
          'utf8',
        ),
      },
    ],
    contexts: [{ name: 'homelab', cluster: 'homelab', user: 'user' }],
    currentContext: 'homelab',
  });
  return kc;
}

/** Resolves with the first value `check` returns, or fails after `ms`. */
function eventually(check, ms = 10_000) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      const value = check();
      if (value) {
        clearInterval(timer);
        resolve(value);
      } else if (Date.now() - started > ms) {
        clearInterval(timer);
        reject(new Error(`not seen in ${ms} ms`));
      }
    }, 50);
  });
}

test('an informer lists, then sees adds, updates and deletes through the watch', async () => {
  const kc = kubeConfig('admin-token');
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const namespace = 'productivity';
  const informer = k8s.makeInformer(
    kc,
    `/api/v1/namespaces/${namespace}/configmaps`,
    () => core.listNamespacedConfigMap({ namespace }),
  );
  const seen = [];
  for (const verb of ['add', 'update', 'delete']) {
    informer.on(verb, o => seen.push(`${verb} ${o.metadata.name}`));
  }
  const errors = [];
  informer.on('error', e => errors.push(e));
  await informer.start();
  try {
    // The list: the root CA every namespace gets.
    await eventually(() => seen.includes('add kube-root-ca.crt'));
    await core.createNamespacedConfigMap({
      namespace,
      body: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'informed' },
        data: { a: '1' },
      },
    });
    await eventually(() => seen.includes('add informed'));
    assert.equal(
      informer.list(namespace).find(o => o.metadata.name === 'informed')?.data
        .a,
      '1',
    );
    await core.deleteNamespacedConfigMap({ namespace, name: 'informed' });
    await eventually(() => seen.includes('delete informed'));
    assert.equal(
      informer.list(namespace).some(o => o.metadata.name === 'informed'),
      false,
    );
    assert.deepEqual(errors, []);
  } finally {
    await informer.stop();
  }
});

test('an informer on leases sees the heartbeats renew (MODIFIED events)', async () => {
  // Real: kubelets renew their node Lease every 10 s.
  const kc = kubeConfig('admin-token');
  const coordination = kc.makeApiClient(k8s.CoordinationV1Api);
  const informer = k8s.makeInformer(
    kc,
    '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases',
    () => coordination.listNamespacedLease({ namespace: 'kube-node-lease' }),
  );
  const renewals = [];
  informer.on('update', o => renewals.push(o.spec.renewTime));
  await informer.start();
  try {
    await eventually(() => renewals.length > 0, 15_000);
  } finally {
    await informer.stop();
  }
});

test('an informer the RBAC refuses reports the 403 instead of staying empty', async () => {
  // Real: the portal's ServiceAccount may not list Secrets; the reflector's
  // list fails with Forbidden and the informer emits "error".
  const kc = kubeConfig('token');
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const informer = k8s.makeInformer(kc, '/api/v1/secrets', () =>
    core.listSecretForAllNamespaces(),
  );
  const error = new Promise(resolve => informer.on('error', resolve));
  informer.start().catch(() => undefined);
  const e = await Promise.race([
    error,
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error('no error event')), 10_000),
    ),
  ]);
  await informer.stop();
  assert.equal(e.code, 403);
  assert.equal(
    JSON.parse(e.body).message,
    'secrets is forbidden: User "system:serviceaccount:backstage:backstage" cannot list resource "secrets" in API group "" at the cluster scope',
  );
});
