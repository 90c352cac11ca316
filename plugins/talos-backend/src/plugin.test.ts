import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { SimUnderTest, startSim } from 'homelab-sim/testUtils';
import { talosPlugin } from './plugin';

/** The plugin wired into a test backend, against the demo cluster. */
// Starts a simulated cluster and a backend; slow on a busy machine.
jest.setTimeout(30_000);

describe('talos backend plugin', () => {
  let sim: SimUnderTest<'talos'>;

  beforeAll(async () => {
    sim = await startSim({ only: ['talos'], tmpPrefix: 'talos-plugin-' });
  });

  afterAll(async () => {
    await sim?.close();
  });

  async function backend(
    permission:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
    talosconfig = 'talos/talosconfig',
    logger = mockServices.logger.mock(),
  ) {
    const { server } = await startTestBackend({
      features: [
        talosPlugin,
        logger.factory,
        mockServices.rootConfig.factory({
          data: {
            talos: {
              clusters: [
                {
                  name: 'homelab',
                  talosconfigPath: sim.path(talosconfig),
                },
              ],
              upgrades: {
                talosVersions: ['v1.10.8', 'v1.11.5'],
                kubernetesVersions: ['v1.33.7'],
              },
            },
          },
        }),
        mockServices.permissions.factory({ result: permission }),
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Resource',
              metadata: {
                name: 'proxmox-home-vm-100',
                namespace: 'default',
                title: 'talos-cp-1 (VM 100)',
              },
              spec: { type: 'virtual-machine' },
            },
          ],
        }),
      ],
    });
    return server;
  }

  it('answers the cluster page for a signed-in user', async () => {
    const server = await backend();
    const clusters = await request(server).get('/api/talos/clusters');
    expect(clusters.status).toBe(200);
    expect(clusters.body.clusters).toEqual([
      {
        name: 'homelab',
        title: 'homelab',
        endpoints: [expect.stringMatching(/^localhost:\d+$/)],
      },
    ]);
    const view = await request(server).get('/api/talos/clusters/homelab');
    expect(view.status).toBe(200);
    expect(view.body.nodes.map((n: any) => n.hostname)).toEqual([
      'talos-cp-1',
      'talos-worker-1',
    ]);
    expect(view.body.upgrades.source).toBe('static');
    // Key material never leaves the backend.
    expect(JSON.stringify(view.body)).not.toMatch(
      /PRIVATE KEY|BEGIN CERTIFICATE/,
    );
    const tab = await request(server).get(
      '/api/talos/entity?entityRef=resource:default/proxmox-home-vm-100',
    );
    expect(tab.status).toBe(200);
    expect(tab.body.node.hostname).toBe('talos-cp-1');
    expect(tab.body.link.vm.matchedBy).toBe('name');
  });

  it('warns loudly about an os:admin talosconfig, naming the safer role', async () => {
    const reader = mockServices.logger.mock();
    await backend(AuthorizeResult.ALLOW, 'talos/talosconfig', reader);
    expect(reader.warn).not.toHaveBeenCalled();
    const admin = mockServices.logger.mock();
    await backend(AuthorizeResult.ALLOW, 'talos/talosconfig-admin', admin);
    expect(admin.warn).toHaveBeenCalledWith(
      "talos.clusters[0] (homelab): the talosconfig's client certificate carries the role os:admin (its subject's O=), which may reboot, reset and wipe every node and read the machine configuration's secrets. The portal only reads: give it a certificate of its own with os:reader (talosctl config new portal-talosconfig --roles os:reader), or os:operator at most.",
    );
  });

  it('refuses callers without credentials or permission, and bad input', async () => {
    const server = await backend(AuthorizeResult.DENY);
    const anonymous = await request(server)
      .get('/api/talos/clusters')
      .set('authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
    const denied = await request(server).get('/api/talos/clusters/homelab');
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      'You may not read Talos clusters (talos.cluster.read)',
    );
    expect((await request(server).get('/api/talos/health')).status).toBe(200);
  });

  it('names what is wrong with a request', async () => {
    const server = await backend();
    const bad = await request(server).get('/api/talos/clusters/Not_A_Name');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^cluster: a cluster name/);
    const unknown = await request(server).get('/api/talos/clusters/elsewhere');
    expect(unknown.status).toBe(404);
    const node = await request(server).get(
      '/api/talos/clusters/homelab/nodes/10.9.9.9',
    );
    expect(node.status).toBe(404);
    expect(node.body.error.message).toBe(
      'Talos cluster "homelab" has no node "10.9.9.9"',
    );
    const ref = await request(server).get('/api/talos/entity?entityRef=');
    expect(ref.status).toBe(400);
  });
});
