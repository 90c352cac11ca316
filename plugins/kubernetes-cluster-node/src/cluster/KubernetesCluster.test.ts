import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SimUnderTest, startSim } from 'homelab-sim/testUtils';
import { KubernetesCluster } from './KubernetesCluster';
import {
  mountServiceAccount,
  ServiceAccountMount,
} from '../testUtils/mountServiceAccount';
import { KubernetesClusterSettings } from './settings';

// Starts the demo homelab's Kubernetes API (HTTPS with its own CA, bearer tokens).
jest.setTimeout(60_000);

describe('KubernetesCluster against the demo Kubernetes API', () => {
  let sim: SimUnderTest<'kubernetes'>;
  let token: string;
  let caFile: string;
  let apiUrl: URL;
  const clusters: KubernetesCluster[] = [];
  const mounts: ServiceAccountMount[] = [];

  beforeAll(async () => {
    sim = await startSim({
      only: ['kubernetes'],
      tmpPrefix: 'k8s-cluster-node-',
    });
    token = sim.kubernetes.token;
    caFile = sim.caFile;
    apiUrl = new URL(sim.kubernetes.url);
  });

  afterEach(async () => {
    for (const m of mounts.splice(0)) m.remove();
    await Promise.all(clusters.splice(0).map(c => c.close()));
  });

  afterAll(async () => {
    await sim?.close();
  });

  const cluster = (
    settings: Partial<KubernetesClusterSettings>,
    prefix?: string,
  ) => {
    const c = new KubernetesCluster(
      {
        name: 'homelab',
        source: 'kubernetes.clusterLocatorMethods[0].clusters[0]',
        url: apiUrl.origin,
        authProvider: 'serviceAccount',
        ...settings,
      },
      { serviceAccountPathPrefix: prefix },
    );
    clusters.push(c);
    return c;
  };

  const mount = (initialToken: string) => {
    const m = mountServiceAccount({
      apiServer: apiUrl.origin,
      caPem: fs.readFileSync(caFile, 'utf8'),
      token: initialToken,
    });
    mounts.push(m);
    return m;
  };

  it('signs in with the configured token and verifies the API server with caFile', async () => {
    const c = cluster({ serviceAccountToken: token, caFile });
    const res = await c.fetch('/api/v1/nodes');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { kind: string }).kind).toBe('NodeList');
    expect(await c.identity()).toBe(
      'the serviceAccountToken of kubernetes.clusterLocatorMethods[0].clusters[0]',
    );
  });

  it('takes caData as base64 of the PEM, as in a kubeconfig', async () => {
    const c = cluster({
      serviceAccountToken: token,
      caData: fs.readFileSync(caFile).toString('base64'),
    });
    expect((await c.fetch('/api/v1/nodes')).status).toBe(200);
  });

  it('refuses an API server whose certificate its CA did not sign', async () => {
    const c = cluster({ serviceAccountToken: token });
    await expect(c.fetch('/api/v1/nodes')).rejects.toThrow();
  });

  it("uses the Pod's mounted token and CA when no token is configured, and the URL the kubelet gives", async () => {
    const { prefix } = mount(token);
    const c = cluster({ url: 'https://kubernetes.default.svc' }, prefix);
    const res = await c.fetch('/api/v1/nodes');
    expect(res.status).toBe(200);
    expect(await c.url()).toBe(`https://${apiUrl.hostname}:${apiUrl.port}`);
    expect(await c.identity()).toBe("the Pod's service account");
  });

  it('reads the token again after the kubelet rotates it', async () => {
    const { prefix, rotate } = mount('expired-token');
    const c = cluster({}, prefix);
    expect((await c.fetch('/api/v1/nodes')).status).toBe(401);
    rotate(token);
    expect((await c.fetch('/api/v1/nodes')).status).toBe(200);
    rotate('revoked-token');
    expect((await c.fetch('/api/v1/nodes')).status).toBe(401);
  });

  it('says what to do outside a Pod instead of sending no token', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-none-'));
    const c = cluster({}, empty);
    await expect(c.fetch('/api/v1/nodes')).rejects.toThrow(
      'The Kubernetes cluster "homelab" (kubernetes.clusterLocatorMethods[0].clusters[0]) uses the Pod\'s service account (authProvider serviceAccount without serviceAccountToken), but none is mounted: the portal is not running in a Pod. Give the cluster a serviceAccountToken.',
    );
  });

  it('refuses skipTLSVerify and auth providers that act as the user', async () => {
    await expect(
      cluster({ serviceAccountToken: token, skipTLSVerify: true }).fetch(
        '/api',
      ),
    ).rejects.toThrow(
      /skipTLSVerify: true; .* give its CA with caData or caFile/,
    );
    await expect(
      cluster({ authProvider: 'oidc' }).fetch('/api'),
    ).rejects.toThrow(
      'signs in with authProvider "oidc"; backend plugins need "serviceAccount"',
    );
  });

  it('never puts the token in an error', async () => {
    const { prefix } = mount(token);
    delete process.env.KUBERNETES_SERVICE_HOST;
    const error = await cluster({}, prefix)
      .fetch('/api')
      .catch(e => e as Error);
    expect(String(error)).toMatch(/KUBERNETES_SERVICE_HOST is not set/);
    expect(String(error)).not.toContain(token);
  });
});
