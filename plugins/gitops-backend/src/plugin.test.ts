import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { SimUnderTest, startSim } from 'homelab-sim/testUtils';
import request from 'supertest';
import { getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { gitopsPlugin } from './plugin';

// A demo cluster, its forge, and a backend: slow on a busy machine.
jest.setTimeout(90_000);

const component = (name: string, url?: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': name },
    ...(url && { links: [{ url, title: 'Open' }] }),
  },
  spec: { type: 'service', owner: 'home-admins', lifecycle: 'production' },
});

const guest = (vmid: number, title: string, usedBy?: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: `proxmox-home-vm-${vmid}`,
    namespace: 'default',
    title,
    annotations: { 'proxmox.homelab.dev/type': 'qemu' },
  },
  spec: { type: 'virtual-machine', owner: 'home-admins' },
  relations: usedBy ? [{ type: 'dependencyOf', targetRef: usedBy }] : [],
});

describe('gitops backend plugin against the demo homelab', () => {
  let sim: SimUnderTest<'kubernetes' | 'forge'>;
  const previous = getGlobalDispatcher();

  beforeAll(async () => {
    sim = await startSim({
      only: ['kubernetes', 'forge'],
      tmpPrefix: 'gitops-plugin-',
    });
    // The forge's certificate comes from the sim's CA (NODE_EXTRA_CA_CERTS in a real run).
    setGlobalDispatcher(sim.dispatcher);
  });

  afterAll(async () => {
    setGlobalDispatcher(previous);
    await sim?.close();
  });

  async function backend(
    permission:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
    forgeToken?: string,
    gitops: object = {},
  ) {
    const host = sim.forge.host;
    const token = forgeToken ?? sim.forge.readToken;
    const { server } = await startTestBackend({
      features: [
        gitopsPlugin,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'homelab',
                      url: sim.kubernetes.url,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: sim.kubernetes.token,
                      caData: Buffer.from(sim.caPem).toString('base64'),
                    },
                  ],
                },
              ],
            },
            integrations: {
              github: [{ host, apiBaseUrl: `${sim.forge.url}/api/v3`, token }],
              gitea: [{ host, baseUrl: sim.forge.url, password: token }],
            },
            gitops: {
              ...gitops,
              repositories: [
                {
                  name: 'home-ops',
                  engine: 'flux',
                  forge: 'github',
                  host,
                  owner: 'home-ops',
                  repo: 'home-ops',
                },
                {
                  name: 'k8s-gitops',
                  engine: 'argocd',
                  forge: 'gitea',
                  host,
                  owner: 'home-ops',
                  repo: 'k8s-gitops',
                },
              ],
            },
          },
        }),
        mockServices.permissions.factory({ result: permission }),
        catalogServiceMock.factory({
          entities: [
            component('vikunja', 'https://tasks.home.example.org'),
            component('actual-budget', 'https://budget.home.example.org'),
            component('mosquitto'),
            component('nextcloud'),
            component('renovate'),
            guest(
              101,
              'talos-worker-1 (VM 101)',
              'resource:default/kubernetes-cluster',
            ),
            guest(110, 'docker-playground (VM 110)'),
          ],
        }),
      ],
    });
    return server;
  }

  it('follows an app from pull request to route, and names the failing step', async () => {
    const server = await backend();
    const healthy = await request(server).get(
      '/api/gitops/deliveries?app=vikunja',
    );
    expect(healthy.status).toBe(200);
    expect(healthy.body.errors).toEqual([]);
    const flux = healthy.body.apps.find(
      (a: any) => a.repository === 'home-ops',
    );
    expect(flux).toMatchObject({
      engine: 'flux',
      entityRef: 'component:default/vikunja',
      state: 'done',
    });
    expect(flux.steps[2].message).toBe(
      'Deployment vikunja: 1/1 replicas ready, 0 restarts',
    );
    expect(flux.steps.map((s: any) => [s.id, s.state])).toEqual([
      ['pull-request', 'done'],
      ['reconcile', 'done'],
      ['workload', 'done'],
      ['route', 'done'],
    ]);

    const failing = await request(server).get(
      '/api/gitops/deliveries?app=actual-budget',
    );
    const release = failing.body.apps.find(
      (a: any) => a.repository === 'home-ops',
    );
    expect(release.failingStep).toBe('reconcile');
    expect(release.steps[1].message).toMatch(
      /^HelmRelease upgrade failed: Helm upgrade failed for release productivity\/actual-budget with chart app-template@5\.1\.0: cannot patch "actual-budget"/,
    );
    const argo = failing.body.apps.find(
      (a: any) => a.repository === 'k8s-gitops',
    );
    expect(argo.steps[1].message).toMatch(
      /^Argo CD sync failed: one or more objects failed to apply/,
    );
  });

  it('lists certificates with days left and colours, Renovate updates per app, and the drift', async () => {
    const server = await backend();
    const certs = (await request(server).get('/api/gitops/certificates')).body;
    const level = Object.fromEntries(
      certs.certificates.map((c: any) => [c.name, c.level]),
    );
    expect(level).toEqual({
      'home-example-org-tls': 'ok',
      'external-home-example-org-tls': 'warning',
      'mqtt-home-example-org-tls': 'error',
    });
    const external = certs.certificates.find(
      (c: any) => c.name === 'external-home-example-org-tls',
    );
    expect(external.hostnames).toContain('photos.home.example.org');
    expect(external.failure).toMatch(/rateLimited/);

    const updates = (await request(server).get('/api/gitops/updates')).body;
    const byApp = Object.fromEntries(
      updates.updates.map((u: any) => [
        `${u.repository}/${u.apps.join(',')}`,
        u.updateType,
      ]),
    );
    expect(byApp).toEqual({
      'home-ops/vikunja': 'patch',
      'home-ops/mealie': 'minor',
      'home-ops/paperless-ngx': 'minor',
      'k8s-gitops/jellyfin': 'patch',
      'k8s-gitops/linkding': 'major',
    });

    const drift = (await request(server).get('/api/gitops/drift')).body;
    const lines = drift.items.map((i: any) => `${i.kind} ${i.subject}`);
    expect(lines).toContain('unowned-guest docker-playground (VM 110)');
    expect(lines).not.toContain('unowned-guest talos-worker-1 (VM 101)');
    expect(lines).toContain('app-without-entity stirling-pdf');
    // Its folders, read through each forge's contents API, come first.
    expect(
      drift.items.find((i: any) => i.subject === 'stirling-pdf').detail,
    ).toMatch(
      /^In home-ops \(kubernetes\/apps\/productivity\/stirling-pdf, Flux\) and k8s-gitops \(k8s\/apps\/productivity\/stirling-pdf, Argo CD\) and running in productivity, /,
    );
    expect(lines).toContain('unlinked-route pdf.home.example.org');
    expect(lines).not.toContain('unlinked-route tasks.home.example.org');
    expect(lines).toContain('entity-without-workload nextcloud');
    // Renovate runs as a CronJob only: that is a workload.
    expect(lines).not.toContain('entity-without-workload renovate');
  });

  it('shows an app’s routes with their Gateways and conditions', async () => {
    const server = await backend();
    const routes = (await request(server).get('/api/gitops/routes?app=vikunja'))
      .body.routes;
    expect(routes.map((r: any) => `${r.kind} ${r.name}`)).toEqual([
      'HTTPRoute vikunja',
      'Gateway internal',
    ]);
    expect(
      routes[0].parents[0].conditions.map((c: any) => `${c.type}=${c.status}`),
    ).toEqual(['Accepted=True', 'ResolvedRefs=True']);
  });

  it('compares the certificate each Gateway listener serves with cert-manager’s', async () => {
    // The Gateways' LAN addresses are dialled at the demo's API server, whose
    // own (one-year) certificate then stands for an old one still served.
    const apiServer = new URL(sim.kubernetes.url).host;
    const connectTo = [60, 61, 62, 63].map(i => ({
      address: `192.168.1.${i}:443`,
      dial: apiServer,
    }));
    const server = await backend(AuthorizeResult.ALLOW, undefined, {
      servedCertificates: { enabled: true, connectTo },
    });
    const certs = (await request(server).get('/api/gitops/certificates')).body
      .certificates;
    const byName = Object.fromEntries(certs.map((c: any) => [c.name, c]));
    const home = byName['home-example-org-tls'];
    expect(home.served).toMatchObject({ stale: true });
    expect(home.served.host).toMatch(/^[a-z0-9-]+\.home\.example\.org$/);
    expect(home.served.daysLeft).toBeGreaterThan(300);
    // Green by cert-manager, amber because the listener serves something else.
    expect(home.level).toBe('warning');
    // Not a listener's certificate: nothing to ask.
    expect(byName['mqtt-home-example-org-tls'].served).toBeUndefined();
  });

  it('reports a source that is down only on the answers built from it', async () => {
    const server = await backend(AuthorizeResult.ALLOW, 'not-the-token');
    const updates = (await request(server).get('/api/gitops/updates')).body;
    expect(updates.errors.map((e: any) => e.source)).toEqual([
      'forge',
      'forge',
    ]);
    expect(updates.errors[0].message).toMatch(/home-ops/);
    const deliveries = (await request(server).get('/api/gitops/deliveries'))
      .body;
    expect(deliveries.errors).toHaveLength(2);
    // Certificates and routes come from the cluster only.
    for (const route of ['certificates', 'routes?app=vikunja']) {
      const answer = (await request(server).get(`/api/gitops/${route}`)).body;
      expect({ route, errors: answer.errors }).toEqual({ route, errors: [] });
    }
    // Drift without the repositories' folders still has the cluster's view.
    const drift = (await request(server).get('/api/gitops/drift')).body;
    expect(drift.errors).toHaveLength(2);
    expect(
      drift.items.find((i: any) => i.subject === 'stirling-pdf').detail,
    ).toMatch(/^In home-ops \(Flux\) and k8s-gitops \(Argo CD\) and running/);
  });

  it('refuses callers without credentials or permission, and bad input', async () => {
    const denied = await backend(AuthorizeResult.DENY);
    expect(
      (
        await request(denied)
          .get('/api/gitops/drift')
          .set('authorization', mockCredentials.none.header())
      ).status,
    ).toBe(401);
    const refused = await request(denied).get('/api/gitops/certificates');
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      'You may not read delivery status (gitops.status.read)',
    );
    const server = await backend();
    const bad = await request(server).get('/api/gitops/routes?app=Not_An_App');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      'app: an app name: lower-case letters, digits and dashes',
    );
  });
});
