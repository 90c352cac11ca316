import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  ProxmoxGuestsResponse,
  ProxmoxTaskStatusResponse,
} from '@homelab-portal/plugin-proxmox-common';
import { loadScenario } from 'homelab-sim';
import { SimUnderTest, startSim } from 'homelab-sim/testUtils';
import request from 'supertest';
import { fetch } from 'undici';
import { proxmoxPlugin } from './plugin';

const admin = mockCredentials.user('user:default/guest');
const family = mockCredentials.user('user:default/family-member');
const visitor = mockCredentials.user('user:default/visitor');

/** The control plane's VM: the policy below keeps power actions off it. */
const protectedGuest = 'resource:default/proxmox-home-vm-100';

/**
 * A household policy: admins may do everything but power the control
 * plane, family may look, anyone else nothing.
 */
const asked: { permission: string; resourceRef?: string }[] = [];
const permissions = mockServices.permissions.mock({
  authorize: async (requests, options) =>
    requests.map(r => {
      const who = (options.credentials.principal as { userEntityRef?: string })
        .userEntityRef;
      const resourceRef = (r as { resourceRef?: string }).resourceRef;
      asked.push({ permission: r.permission.name, resourceRef });
      const allowed =
        who === 'user:default/guest'
          ? resourceRef !== protectedGuest
          : who === 'user:default/family-member' &&
            r.permission.name === 'proxmox.read';
      return {
        result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      };
    }),
});

describe('the Proxmox backend plugin against the demo homelab', () => {
  let sim: SimUnderTest<'proxmox'>;
  let server: Parameters<typeof request>[0];
  let stop: () => Promise<void>;
  const auditorEvents: { eventId: string; outcome?: string }[] = [];

  const upstreamCalls = async () => {
    const res = await fetch(`${sim.proxmox.url}/_sim/requests`, {
      dispatcher: sim.dispatcher,
    });
    return (await res.json()) as {
      total: number;
      byEndpoint: Record<string, number>;
    };
  };

  beforeAll(async () => {
    const scenario = loadScenario();
    scenario.proxmox.authFailureDelayMs = 0;
    // The reboot below still runs as a task the backend follows to its end.
    scenario.proxmox.powerTaskMs = { reboot: 1500 };
    sim = await startSim({
      only: ['proxmox'],
      scenario,
      tmpPrefix: 'proxmox-backend-',
    });
    const secret = sim.proxmox.tokenSecret;
    const backend = await startTestBackend({
      features: [
        proxmoxPlugin,
        permissions.factory,
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.auditor.mock({
          createEvent: async ({ eventId }) => {
            const event: { eventId: string; outcome?: string } = { eventId };
            auditorEvents.push(event);
            return {
              success: async () => {
                event.outcome = 'success';
              },
              fail: async () => {
                event.outcome = 'fail';
              },
            };
          },
        }).factory,
        mockServices.rootConfig.factory({
          data: {
            proxmox: {
              instances: {
                home: {
                  url: sim.proxmox.url,
                  ca: sim.caPem,
                  tokenId: 'backstage@pve!catalog',
                  tokenSecret: secret('catalog'),
                  powerActions: {
                    tokenId: 'backstage@pve!power',
                    tokenSecret: secret('power'),
                  },
                  cacheSeconds: 0.3,
                  timeoutMs: 2000,
                },
                // The same Proxmox with the default cache time, read by no
                // other test before.
                steady: {
                  url: sim.proxmox.url,
                  ca: sim.caPem,
                  tokenId: 'backstage@pve!catalog',
                  tokenSecret: secret('catalog'),
                },
              },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop();
    await sim.close();
  });

  afterEach(() => sim.faults.clear());

  const get = (url: string, who = admin) =>
    request(server)
      .get(`/api/proxmox${url}`)
      .set(
        'authorization',
        mockCredentials.user.header(
          (who.principal as { userEntityRef: string }).userEntityRef,
        ),
      );

  it('answers signed-in users only', async () => {
    await request(server).get('/api/proxmox/instances').expect(401);
    const res = await get('/instances').expect(200);
    expect(res.body.instances).toEqual([
      expect.objectContaining({
        id: 'home',
        powerActionsConfigured: true,
        backupWarningDays: 2,
      }),
      expect.objectContaining({ id: 'steady', powerActionsConfigured: false }),
    ]);
  });

  it('answers every read route only to people allowed proxmox.read', async () => {
    const reads = [
      '/instances',
      '/instances/home/overview',
      '/instances/home/guests',
      '/instances/home/guests/101',
      '/instances/home/guests/101/rrd',
      '/instances/home/guests/101/backups',
      '/instances/home/guests/101/tasks',
      '/instances/home/guests/101/power-actions',
      '/instances/home/nodes/pve',
      '/instances/home/tasks',
      `/instances/home/tasks/${encodeURIComponent(
        'UPID:pve:00001234:00005678:65000000:qmstart:101:root@pam:',
      )}`,
    ];
    const denied = [];
    for (const url of reads) {
      const res = await get(url, visitor);
      if (res.status !== 403 || !/proxmox\.read/.test(res.body.error.message))
        denied.push(`${url} → ${res.status}`);
    }
    expect(denied).toEqual([]);
    await get('/instances/home/guests/101', family).expect(200);
  });

  it('lists guests with status, addresses and backup age from the task history', async () => {
    // Addresses come from a background queue and backup ages from the task
    // logs; the table fills in over a few refreshes, as the page's does.
    let body: ProxmoxGuestsResponse;
    for (let i = 0; ; i++) {
      body = (await get('/instances/home/guests').expect(200)).body;
      const ready =
        !body.backupsLoading &&
        body.guests.find(g => g.vmid === 100)?.ips.length;
      if (ready || i > 40) break;
      await new Promise(r => setTimeout(r, 250));
    }
    const byId = new Map(body.guests.map(g => [g.vmid, g]));
    expect(byId.get(100)).toMatchObject({
      name: 'talos-cp-1',
      type: 'qemu',
      status: 'running',
      tags: ['controlplane', 'talos'],
      ips: ['192.168.1.21'],
      entityRef: 'resource:default/proxmox-home-vm-100',
    });
    expect(byId.get(200)).toMatchObject({
      type: 'lxc',
      ips: ['192.168.1.5'],
      notBackedUp: true,
    });
    // The read-only token cannot list backup files: times come from task logs.
    expect(body.backupSource).toBe('task-history');
    const day = 86400;
    const age = (vmid: number) =>
      Date.now() / 1000 - byId.get(vmid)!.lastBackupAt!;
    expect(age(100)).toBeLessThan(day);
    expect(age(102)).toBeGreaterThan(7 * day);
    expect(byId.get(9000)?.lastBackupAt).toBeUndefined();
    expect(body.state.stale).toBe(false);
  });

  it('explains where backups come from and which runs failed', async () => {
    const res = await get('/instances/home/guests/102/backups').expect(200);
    expect(res.body.source).toBe('task-history');
    expect(res.body.hint).toContain('Datastore.Allocate');
    expect(
      res.body.backups.some(
        (b: { ok: boolean; error?: string }) => !b.ok && b.error,
      ),
    ).toBe(true);
    expect(res.body.jobs).toEqual([
      expect.objectContaining({
        schedule: '02:00',
        storage: 'nas-backups',
        enabled: true,
      }),
    ]);
  });

  it('shows one guest with live status, configuration and agent addresses', async () => {
    const res = await get('/instances/home/guests/101').expect(200);
    expect(res.body.current).toMatchObject({
      status: 'running',
      agent: true,
      haManaged: false,
    });
    expect(res.body.config).toMatchObject({
      cores: 8,
      memoryMiB: 32768,
      agent: true,
      onboot: true,
    });
    expect(res.body.config.smbiosUuid).toBe(
      '6f1c2a4e-8b3d-4e0f-9a51-2c7d3e100101',
    );
    expect(
      res.body.interfaces.find((i: { name: string }) => i.name === 'ens18'),
    ).toBeDefined();
    expect(res.body.webUrl).toContain('#v1:0:=qemu%2F101');
    const tpl = await get('/instances/home/guests/9000').expect(200);
    expect(tpl.body.interfacesUnavailable).toMatch(/not running/);
    await get('/instances/home/guests/4242').expect(404);
    await get('/instances/home/guests/abc').expect(400);
    await get('/instances/nope/guests').expect(404);
  });

  it('shows a node with its history', async () => {
    const res = await get('/instances/home/nodes/pve?timeframe=hour').expect(
      200,
    );
    expect(res.body.rrd).toHaveLength(70);
    expect(res.body.status.cpuModel).toContain('i5-12500T');
    expect(res.body.guests.map((g: { vmid: number }) => g.vmid)).toContain(200);
    await get('/instances/home/nodes/pve?timeframe=minute').expect(400);
  });

  it('refuses power actions to users without the permission, before asking Proxmox', async () => {
    const before = await upstreamCalls();
    const res = await request(server)
      .post('/api/proxmox/instances/home/guests/101/power/reboot')
      .set(
        'authorization',
        mockCredentials.user.header('user:default/family-member'),
      )
      .expect(403);
    expect(res.body.error.message).toContain('proxmox.guest.power');
    const after = await upstreamCalls();
    expect(
      after.byEndpoint['POST /nodes/{node}/qemu/{vmid}/status/reboot'] ?? 0,
    ).toBe(
      before.byEndpoint['POST /nodes/{node}/qemu/{vmid}/status/reboot'] ?? 0,
    );
    const history = await get(
      '/instances/home/guests/101/power-actions',
      family,
    ).expect(200);
    expect(history.body.actions).toEqual([]);
    expect(auditorEvents.at(-1)).toEqual({
      eventId: 'guest-power-action',
      outcome: 'fail',
    });
  });

  it('reboots a guest for an admin, follows the task to its end and records it', async () => {
    const res = await request(server)
      .post('/api/proxmox/instances/home/guests/101/power/reboot')
      .set('authorization', mockCredentials.user.header('user:default/guest'))
      .expect(202);
    expect(res.body.upid).toMatch(
      /^UPID:pve:.*:qmreboot:101:backstage@pve!power:$/,
    );
    expect(res.body.record).toMatchObject({
      action: 'reboot',
      actor: 'user:default/guest',
      result: 'running',
    });
    let status: ProxmoxTaskStatusResponse;
    for (;;) {
      status = (
        await get(
          `/instances/home/tasks/${encodeURIComponent(res.body.upid)}`,
        ).expect(200)
      ).body;
      if (status.task.status === 'stopped') break;
      await new Promise(r => setTimeout(r, 500));
    }
    expect(status.task).toMatchObject({ exitstatus: 'OK', ok: true });
    expect(status.record).toMatchObject({
      result: 'ok',
      message: 'OK',
      upid: res.body.upid,
    });
    const history = await get(
      '/instances/home/guests/101/power-actions',
    ).expect(200);
    expect(history.body.actions[0]).toMatchObject({
      action: 'reboot',
      result: 'ok',
      vmid: 101,
    });
    const tasks = await get('/instances/home/guests/101/tasks').expect(200);
    expect(tasks.body.tasks[0]).toMatchObject({ type: 'qmreboot', ok: true });
    expect(auditorEvents.at(-1)).toEqual({
      eventId: 'guest-power-action',
      outcome: 'success',
    });
  }, 20_000);

  it("asks about power with the guest's entity, so a policy can keep a guest out of reach", async () => {
    const res = await request(server)
      .post('/api/proxmox/instances/home/guests/100/power/shutdown')
      .set('authorization', mockCredentials.user.header('user:default/guest'))
      .expect(403);
    expect(res.body.error.message).toBe(
      `You may not shutdown ${protectedGuest} (permission proxmox.guest.power)`,
    );
    expect(asked.at(-1)).toEqual({
      permission: 'proxmox.guest.power',
      resourceRef: protectedGuest,
    });
    const ct = await request(server)
      .post('/api/proxmox/instances/home/guests/200/power/start')
      .set('authorization', mockCredentials.user.header('user:default/guest'));
    expect(ct.status).not.toBe(403);
    expect(asked.at(-1)).toEqual({
      permission: 'proxmox.guest.power',
      resourceRef: 'resource:default/proxmox-home-ct-200',
    });
  });

  it("keeps the Proxmox host's address and the token id out of answers", async () => {
    sim.faults.add({
      service: 'proxmox',
      kind: 'error',
      status: 401,
      path: '/status/shutdown$',
    });
    const refused = await request(server)
      .post('/api/proxmox/instances/home/guests/200/power/shutdown')
      .set('authorization', mockCredentials.user.header('user:default/guest'));
    const history = await get('/instances/home/guests/200/power-actions');
    const text = refused.text + JSON.stringify(history.body);
    expect(refused.status).toBe(502);
    expect(refused.body.error.name).toBe('ProxmoxUpstreamError');
    expect(refused.body.error.message).toMatch(
      /refused the API token <token id>/,
    );
    expect(history.body.actions[0].message).toMatch(
      /^Proxmox instance "home" refused the API token <token id> \(401/,
    );
    expect(text).not.toContain('backstage@pve!power');
    expect(text).not.toContain(new URL(sim.proxmox.url).host);
    sim.faults.clear();
    sim.faults.add({ service: 'proxmox', kind: 'reset' });
    const down = await request(server)
      .post('/api/proxmox/instances/home/guests/102/power/start')
      .set('authorization', mockCredentials.user.header('user:default/guest'));
    expect(down.status).toBe(503);
    expect(down.body.error.message).toContain(
      'Cannot reach Proxmox instance "home"',
    );
    expect(down.text).not.toContain(new URL(sim.proxmox.url).host);
  });

  it('records a power action Proxmox refuses', async () => {
    const res = await request(server)
      .post('/api/proxmox/instances/home/guests/200/power/start')
      .set('authorization', mockCredentials.user.header('user:default/guest'))
      .expect(409);
    expect(res.body.error.message).toBe('CT 200 already running');
    const history = await get(
      '/instances/home/guests/200/power-actions',
    ).expect(200);
    expect(history.body.actions[0]).toMatchObject({
      result: 'failed',
      message: 'CT 200 already running',
    });
  });

  it('asks Proxmox once for many viewers', async () => {
    // A slow Proxmox: every viewer arrives while the first read is under way.
    sim.faults.add({
      service: 'proxmox',
      kind: 'latency',
      ms: 300,
      path: '^/api2/json/cluster/resources',
    });
    const before =
      (await upstreamCalls()).byEndpoint['GET /cluster/resources'] ?? 0;
    const answers = await Promise.all(
      Array.from({ length: 100 }, () =>
        get('/instances/steady/overview').expect(200),
      ),
    );
    const after =
      (await upstreamCalls()).byEndpoint['GET /cluster/resources'] ?? 0;
    expect(after - before).toBe(1);
    expect(new Set(answers.map(a => a.body.state.fetchedAt)).size).toBe(1);
    await Promise.all(
      Array.from({ length: 50 }, () =>
        get('/instances/steady/guests').expect(200),
      ),
    );
    expect((await upstreamCalls()).byEndpoint['GET /cluster/resources']).toBe(
      after,
    );
  }, 20_000);

  it('keeps showing the last data, with its age and the error, while Proxmox is down', async () => {
    await get('/instances/home/guests').expect(200);
    sim.faults.add({ service: 'proxmox', kind: 'reset' });
    await new Promise(r => setTimeout(r, 1000));
    const res = await get('/instances/home/guests').expect(200);
    await new Promise(r => setTimeout(r, 1000));
    const again = (await get('/instances/home/guests').expect(200))
      .body as ProxmoxGuestsResponse;
    expect(res.body.guests.length).toBe(6);
    expect(again.guests.length).toBe(6);
    expect(again.state.stale).toBe(true);
    expect(again.state.error?.kind).toBe('unreachable');
    expect(again.state.error?.message).toContain(
      'Cannot reach Proxmox instance "home"',
    );
    sim.faults.clear();
    await new Promise(r => setTimeout(r, 1200));
    await get('/instances/home/guests').expect(200);
    await new Promise(r => setTimeout(r, 100));
    const recovered = (await get('/instances/home/guests').expect(200))
      .body as ProxmoxGuestsResponse;
    expect(recovered.state.stale).toBe(false);
  }, 20_000);

  it('says what is wrong when Proxmox answers garbage', async () => {
    sim.faults.add({
      service: 'proxmox',
      kind: 'malformed',
      path: '^/api2/json/nodes/pve/status',
    });
    const res = await get('/instances/steady/nodes/pve').expect(200);
    expect(res.body.rrd).toHaveLength(70);
    expect(res.body.partialErrors).toEqual([
      {
        what: 'node status',
        error: expect.objectContaining({ kind: 'bad-response' }),
      },
    ]);
  });
});
