import { mockServices } from '@backstage/backend-test-utils';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { DefaultProxmoxService } from '@homelab-portal/plugin-proxmox-node';
import { loadScenario } from 'homelab-sim';
import { SimUnderTest, startSim } from 'homelab-sim/testUtils';
import { ProxmoxEntityProvider } from './ProxmoxEntityProvider';
import { defaultSchedule } from './readProviderConfig';

/** The Proxmox client service as the catalog module gets it, with its token. */
function catalogProxmox(sim: SimUnderTest<'proxmox'>) {
  return DefaultProxmoxService.fromConfig(
    mockServices.rootConfig({
      data: {
        proxmox: {
          instances: {
            home: {
              url: sim.proxmox.url,
              ca: sim.caPem,
              tokenId: 'backstage@pve!catalog',
              tokenSecret: sim.proxmox.tokenSecret('catalog'),
              timeoutMs: 1000,
            },
          },
        },
      },
    }),
    { logger: mockServices.logger.mock(), clientOptions: { retryBaseMs: 5 } },
  );
}

describe('ProxmoxEntityProvider', () => {
  let sim: SimUnderTest<'proxmox'>;
  let proxmox: DefaultProxmoxService;

  beforeAll(async () => {
    const scenario = loadScenario();
    scenario.proxmox.authFailureDelayMs = 0;
    sim = await startSim({
      only: ['proxmox'],
      scenario,
      tmpPrefix: 'proxmox-provider-',
    });
    proxmox = catalogProxmox(sim);
  });

  afterAll(async () => {
    await proxmox.close();
    await sim.close();
  });

  afterEach(() => sim.faults.clear());

  function setup() {
    const mutations: {
      entities: { entity: { metadata: { name: string } } }[];
    }[] = [];
    const connection: EntityProviderConnection = {
      applyMutation: jest.fn(async m => {
        mutations.push(m as never);
      }),
      refresh: jest.fn(),
    };
    const logger = mockServices.logger.mock();
    const provider = new ProxmoxEntityProvider(
      proxmox.getInstance('home'),
      {
        enabled: true,
        owner: 'group:home-admins',
        system: 'homelab',
        hardwareIdTags: ['talos'],
        schedule: defaultSchedule,
      },
      logger,
    );
    return { provider, connection, mutations, logger };
  }

  const names = (m: {
    entities: { entity: { metadata: { name: string } } }[];
  }) => m.entities.map(e => e.entity.metadata.name).sort();

  it('is named after its instance and runs on its schedule', async () => {
    const runs: { id: string }[] = [];
    const provider = new ProxmoxEntityProvider(
      proxmox.getInstance('home'),
      {
        enabled: true,
        owner: 'group:home-admins',
        system: 'homelab',
        hardwareIdTags: ['talos'],
        schedule: defaultSchedule,
      },
      mockServices.logger.mock(),
      { run: async task => void runs.push(task) },
    );
    await provider.connect({ applyMutation: jest.fn(), refresh: jest.fn() });
    expect(provider.getProviderName()).toBe('ProxmoxEntityProvider:home');
    expect(runs.map(r => r.id)).toEqual(['ProxmoxEntityProvider:home:refresh']);
  });

  it('applies every node, guest and storage of the household in one full mutation', async () => {
    const { provider, connection, mutations } = setup();
    await provider.connect(connection);
    expect(await provider.refresh()).toBe(true);
    expect(mutations).toHaveLength(1);
    expect(mutations[0]).toMatchObject({ type: 'full' });
    expect(names(mutations[0])).toEqual([
      'proxmox-home-ct-200',
      'proxmox-home-node-pve',
      'proxmox-home-storage-pve-local',
      'proxmox-home-storage-pve-local-lvm',
      'proxmox-home-storage-pve-nas-backups',
      'proxmox-home-vm-100',
      'proxmox-home-vm-101',
      'proxmox-home-vm-102',
      'proxmox-home-vm-110',
      'proxmox-home-vm-9000',
    ]);
  });

  it('annotates the Talos VMs with the SMBIOS UUID and MACs of their config, and only them', async () => {
    const { provider, connection, mutations } = setup();
    const instance = proxmox.getInstance('home');
    const configReads = jest.spyOn(instance, 'guestConfig');
    await provider.connect(connection);
    expect(await provider.refresh()).toBe(true);
    const annotations = (name: string) =>
      (
        mutations[0].entities.find(e => e.entity.metadata.name === name)!
          .entity as any
      ).metadata.annotations;
    expect(annotations('proxmox-home-vm-100')).toMatchObject({
      'proxmox.homelab.dev/smbios-uuid': '6f1c2a4e-8b3d-4e0f-9a51-2c7d3e100100',
      'proxmox.homelab.dev/macs': 'bc:24:11:3a:10:21',
    });
    expect(annotations('proxmox-home-vm-101')).toHaveProperty([
      'proxmox.homelab.dev/smbios-uuid',
    ]);
    // Home Assistant is not tagged talos; 9000 is a template.
    for (const name of ['proxmox-home-vm-102', 'proxmox-home-vm-9000'])
      expect(annotations(name)).not.toHaveProperty([
        'proxmox.homelab.dev/smbios-uuid',
      ]);
    expect(configReads.mock.calls.map(c => c[2]).sort()).toEqual([100, 101]);

    // A config that cannot be read keeps the ids of the last read.
    configReads.mockRejectedValue(new Error('HTTP 500'));
    expect(await provider.refresh()).toBe(true);
    expect(
      (
        mutations[1].entities.find(
          e => e.entity.metadata.name === 'proxmox-home-vm-100',
        )!.entity as any
      ).metadata.annotations,
    ).toMatchObject({
      'proxmox.homelab.dev/smbios-uuid': '6f1c2a4e-8b3d-4e0f-9a51-2c7d3e100100',
    });
    configReads.mockRestore();
  });

  it('removes nothing during an outage, says so once, and applies again on recovery', async () => {
    const { provider, connection, mutations, logger } = setup();
    await provider.connect(connection);
    expect(await provider.refresh()).toBe(true);

    sim.faults.add({ service: 'proxmox', kind: 'error', status: 503 });
    expect(await provider.refresh()).toBe(false);
    expect(await provider.refresh()).toBe(false);
    sim.faults.clear();
    sim.faults.add({ service: 'proxmox', kind: 'reset' });
    expect(await provider.refresh()).toBe(false);
    expect(mutations).toHaveLength(1);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect((logger.warn as jest.Mock).mock.calls[0][0]).toContain(
      'Proxmox instance "home" could not be read, so the catalog keeps its last known Proxmox entities',
    );

    sim.faults.clear();
    expect(await provider.refresh()).toBe(true);
    expect(mutations).toHaveLength(2);
    expect(names(mutations[1])).toEqual(names(mutations[0]));
    expect(logger.info).toHaveBeenLastCalledWith(
      expect.stringContaining('is readable again'),
    );
  });

  it('applies nothing when Proxmox answers garbage', async () => {
    const { provider, connection, mutations, logger } = setup();
    await provider.connect(connection);
    for (const kind of ['malformed', 'truncate'] as const) {
      sim.faults.clear();
      sim.faults.add({
        service: 'proxmox',
        kind,
        path: '^/api2/json/cluster/resources',
      });
      expect(await provider.refresh()).toBe(false);
    }
    expect(mutations).toEqual([]);
    expect((logger.warn as jest.Mock).mock.calls[0][0]).toMatch(
      /not JSON|Cannot reach/,
    );
  });

  it('applies nothing when the answer is valid JSON but not Proxmox data', async () => {
    const { provider, connection, mutations } = setup();
    await provider.connect(connection);
    // An empty list: reachable, well-formed, but no node at all.
    const original = proxmox
      .getInstance('home')
      .resources.bind(proxmox.getInstance('home'));
    jest.spyOn(proxmox.getInstance('home'), 'resources').mockResolvedValueOnce({
      value: { nodes: [], guests: [], storage: [] },
      fetchedAt: Date.now(),
      stale: false,
    });
    expect(await provider.refresh()).toBe(false);
    expect(mutations).toEqual([]);
    jest.restoreAllMocks();
    expect((await original()).value.nodes).toHaveLength(1);
  });
});

describe('ProxmoxEntityProvider when guests vanish while Proxmox answers', () => {
  let sim: SimUnderTest<'proxmox'>;
  let proxmox: DefaultProxmoxService;

  const household = (change: (s: ReturnType<typeof loadScenario>) => void) => {
    const scenario = loadScenario();
    scenario.proxmox.authFailureDelayMs = 0;
    change(scenario);
    return scenario;
  };

  /** The demo Proxmox restarted on the same port with a changed household. */
  async function restart(change: (s: ReturnType<typeof loadScenario>) => void) {
    await sim.restart({ scenario: household(change), keepPorts: true });
  }

  beforeAll(async () => {
    sim = await startSim({
      only: ['proxmox'],
      scenario: household(() => {}),
      tmpPrefix: 'proxmox-guest-loss-',
    });
    proxmox = catalogProxmox(sim);
  });

  afterAll(async () => {
    await proxmox.close();
    await sim.close();
  });

  const guestNames = (m: { entities: { entity: any }[] }) =>
    m.entities
      .map(e => e.entity.metadata.name as string)
      .filter(n => /-(vm|ct)-/.test(n))
      .sort();

  it('keeps every entity when the token loses VM.Audit, and still removes exactly the guest really destroyed', async () => {
    const mutations: { entities: { entity: any }[] }[] = [];
    const logger = mockServices.logger.mock();
    const provider = new ProxmoxEntityProvider(
      proxmox.getInstance('home'),
      {
        enabled: true,
        owner: 'group:home-admins',
        system: 'homelab',
        hardwareIdTags: [],
        schedule: defaultSchedule,
      },
      logger,
    );
    await provider.connect({
      applyMutation: jest.fn(async m => void mutations.push(m as never)),
      refresh: jest.fn(),
    });
    expect(await provider.refresh()).toBe(true);
    const all = guestNames(mutations[0]);
    const vmids = loadScenario()
      .proxmox.guests.map(g => g.vmid)
      .sort((a, b) => a - b);
    expect(all).toHaveLength(vmids.length);

    // pveum acl modify: the catalog token keeps Sys.Audit and
    // Datastore.Audit but loses VM.Audit.
    await restart(s => {
      s.proxmox.tokens = [
        {
          id: 'backstage@pve!catalog',
          file: 'catalog',
          acl: [{ path: '/', privs: ['Sys.Audit', 'Datastore.Audit'] }],
        },
      ];
    });
    const seen = await proxmox.getInstance('home').resources({ fresh: true });
    expect(seen.value.guests).toEqual([]);
    expect(seen.value.nodes).toHaveLength(1);
    expect(await provider.refresh()).toBe(false);
    expect(await provider.refresh()).toBe(false);
    expect(mutations).toHaveLength(1);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect((logger.warn as jest.Mock).mock.calls[0][0]).toBe(
      `Proxmox instance "home": ${vmids.length} of the ${
        vmids.length
      } guests applied last time are missing at once (VMIDs ${vmids.join(
        ', ',
      )}) while Proxmox answers normally. That is what a token that lost VM.Audit looks like (Proxmox then lists nodes and storage only), so the catalog keeps its last Proxmox entities. Check the token's ACL (pveum acl list); if the guests really are gone, restart the backend and the next run applies the new state.`,
    );

    // The ACL fixed and Home Assistant's VM destroyed (qm destroy 102).
    await restart(s => {
      s.proxmox.guests = s.proxmox.guests.filter(g => g.vmid !== 102);
    });
    expect(await provider.refresh()).toBe(true);
    expect(guestNames(mutations[1])).toEqual(
      all.filter(n => n !== 'proxmox-home-vm-102'),
    );
  });
});
