import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import fs from 'node:fs';
import { loadScenario } from 'homelab-sim';
import { SimUnderTest, startSim } from 'homelab-sim/testUtils';
import { DefaultKubernetesClusterService } from '@homelab-portal/plugin-kubernetes-cluster-node';
import {
  mountServiceAccount,
  ServiceAccountMount,
} from '@homelab-portal/plugin-kubernetes-cluster-node/testUtils';
import { readTalosConfig } from '../config/readTalosConfig';
import { TalosService } from './TalosService';

/** `talos:` as the plugin reads it, with the kubernetes section of the same config. */
function readConfig(root: ConfigReader) {
  return readTalosConfig(
    root,
    DefaultKubernetesClusterService.fromConfig(root),
  );
}

/** The whole Talos side against the demo cluster, in-process. */
// Starts a simulated cluster and a backend; slow on a busy machine.
jest.setTimeout(30_000);

describe('TalosService against the simulated cluster', () => {
  let sim: SimUnderTest<'talos'>;
  let service: TalosService;

  const vm = (
    vmid: number,
    title: string,
    annotations: Record<string, string> = {},
  ): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: `proxmox-home-vm-${vmid}`,
      namespace: 'default',
      title,
      annotations,
      tags: ['talos'],
    },
    spec: { type: 'virtual-machine' },
  });

  function start(
    admin = false,
    extra: Record<string, unknown> = {},
    cacheSeconds = 0.05,
  ) {
    const demo = JSON.parse(
      fs
        .readFileSync(sim.path('app-config.demo.yaml'), 'utf8')
        .replace(/^#.*\n/, ''),
    );
    const cluster = demo.talos.clusters[0];
    const config = readConfig(
      new ConfigReader({
        talos: {
          ...demo.talos,
          cacheSeconds,
          clusters: [
            {
              name: cluster.name,
              talosconfigPath: admin
                ? sim.talos.adminTalosconfigFile
                : sim.talos.talosconfigFile,
              ...extra,
            },
          ],
          upgrades: {
            ...demo.talos.upgrades,
            imageFactory: {
              url: demo.talos.upgrades.imageFactory.url,
              caFile: sim.caFile,
            },
          },
        },
      }),
    )!;
    return new TalosService(config, {
      logger: mockServices.logger.mock(),
      vmEntities: async () => [
        // The control plane's VM carries its SMBIOS UUID; the worker's only its title.
        vm(100, 'talos-cp-1 (VM 100)', {
          'proxmox.homelab.dev/smbios-uuid':
            '6F1C2A4E-8B3D-4E0F-9A51-2C7D3E100100',
        }),
        vm(101, 'talos-worker-1 (VM 101)', {
          'proxmox.homelab.dev/vmid': '101',
        }),
        vm(102, 'haos (VM 102)'),
      ],
    });
  }

  beforeAll(async () => {
    sim = await startSim({ only: ['talos'], tmpPrefix: 'talos-service-' });
  });

  afterEach(async () => {
    sim.faults.clear();
    await service?.close();
  });

  afterAll(async () => {
    await sim?.close();
  });

  it('builds the cluster view: nodes, etcd, health, upgrades and links', async () => {
    service = start();
    const view = await service.getCluster('homelab');
    expect(view.roles).toEqual(['os:reader']);
    const [cp, worker] = view.nodes;
    expect(cp).toMatchObject({
      address: '192.168.1.21',
      hostname: 'talos-cp-1',
      role: 'controlplane',
      reachable: true,
      talosVersion: 'v1.10.6',
      // Talos 1.10 has no KubeletStatus and a reader may not read KubeletSpec.
      kubernetesVersion: 'v1.33.3',
      kubernetesVersionSource: 'static pod image',
      stage: 'running',
      ready: true,
    });
    expect(cp.services.map(s => s.id)).toEqual(
      expect.arrayContaining(['apid', 'etcd', 'kubelet', 'trustd']),
    );
    expect(cp.memory!.totalBytes).toBeGreaterThan(7 * 1024 ** 3);
    expect(cp.disks.find(d => d.system)?.id).toBe('sda');
    expect(cp.hardware.uuid).toBe('6f1c2a4e-8b3d-4e0f-9a51-2c7d3e100100');
    expect(worker).toMatchObject({
      hostname: 'talos-worker-1',
      role: 'worker',
      reachable: true,
      problems: [],
    });
    // The worker's Kubernetes version needs os:admin or the Kubernetes API here.
    expect(worker.kubernetesVersion).toBeUndefined();

    expect(view.etcd.members).toHaveLength(1);
    expect(view.etcd.members[0]).toMatchObject({
      hostname: 'talos-cp-1',
      isLeader: true,
      alarms: [],
    });
    expect(view.etcd.members[0].status!.dbSizeBytes).toBeGreaterThan(
      20 * 1024 ** 2,
    );
    expect(view.etcd.leaderId).toMatch(/^[0-9a-f]{16}$/);

    const byId = Object.fromEntries(view.health.map(c => [c.id, c]));
    expect(view.health.map(c => c.id).slice(0, 9)).toEqual([
      'etcd-healthy',
      'etcd-consistent',
      'etcd-control-plane',
      'apid-ready',
      'memory-sizes',
      'disk-sizes',
      'no-diagnostics',
      'kubelet-healthy',
      'boot-finished',
    ]);
    for (const id of [
      'etcd-healthy',
      'apid-ready',
      'memory-sizes',
      'disk-sizes',
      'boot-finished',
    ]) {
      expect(byId[id].status).toBe('pass');
    }
    expect(byId['k8s-nodes-ready']).toMatchObject({
      status: 'skipped',
      reason: 'not checked: Kubernetes API not configured',
    });

    expect(view.upgrades).toMatchObject({
      source: 'image-factory',
      talos: {
        running: ['v1.10.6'],
        latest: 'v1.13.9',
        latestPatch: 'v1.10.8',
        path: ['v1.12.6', 'v1.13.9'],
      },
    });

    expect(view.links[0].vm).toMatchObject({
      entityRef: 'resource:default/proxmox-home-vm-100',
      matchedBy: 'smbios-uuid',
    });
    expect(view.links[1].vm).toMatchObject({
      entityRef: 'resource:default/proxmox-home-vm-101',
      matchedBy: 'name',
    });
  });

  it('reads the Kubernetes version from KubeletSpec with an admin talosconfig', async () => {
    service = start(true);
    const view = await service.getCluster('homelab');
    expect(view.nodes[1]).toMatchObject({
      kubernetesVersion: 'v1.33.3',
      kubernetesVersionSource: 'KubeletSpec',
    });
  });

  it('shows a node that is down as down while the rest of the cluster renders', async () => {
    service = start();
    await service.getCluster('homelab'); // learn who is who first
    sim.faults.add({ service: 'talos/talos-worker-1', kind: 'down' });
    await new Promise(r => setTimeout(r, 100));
    const view = await service.getCluster('homelab');
    const [cp, worker] = view.nodes;
    expect(cp.reachable).toBe(true);
    expect(cp.services.length).toBeGreaterThan(5);
    expect(worker).toMatchObject({
      reachable: false,
      hostname: 'talos-worker-1',
      error: {
        kind: 'unreachable',
        message: expect.stringContaining(
          '192.168.1.22 is unreachable: connection refused',
        ),
      },
    });
    const apid = view.health.find(c => c.id === 'apid-ready')!;
    expect(apid.status).toBe('fail');
    expect(apid.reason).toContain('talos-worker-1: unreachable');
    expect(view.health.find(c => c.id === 'etcd-healthy')!.status).toBe('pass');
    // The VM tab of the worker still finds its node, and says it is down.
    const tab = await service.getForEntity(
      'resource:default/proxmox-home-vm-101',
    );
    expect(tab.node.reachable).toBe(false);
    expect(tab.link.vm?.entityRef).toBe('resource:default/proxmox-home-vm-101');
  });

  it('reads each node once per cache period whatever the number of viewers', async () => {
    service = start();
    await service.getCluster('homelab');
    const before = service.upstreamCalls().talos;
    await Promise.all(
      Array.from({ length: 25 }, () => service.getCluster('homelab')),
    );
    const perRefresh = service.upstreamCalls().talos - before;
    // Every viewer shared one refresh (or none, if the cache was still fresh).
    expect(perRefresh).toBeLessThan(30);
  });

  it('reads only the node asked for in the node view', async () => {
    service = start(false, {}, 60);
    const calls = () => service.upstreamCalls().talos;
    const one = await service.getNode('homelab', '192.168.1.22');
    expect(one.node.hostname).toBe('talos-worker-1');
    expect(one.link.vm?.entityRef).toBe('resource:default/proxmox-home-vm-101');
    // The control plane was not read for the worker's view: the cluster page reads it now…
    const before = calls();
    await service.getCluster('homelab');
    expect(calls() - before).toBeGreaterThan(10);
    // …and the worker comes from the cache, for every viewer.
    const after = calls();
    await Promise.all([
      service.getNode('homelab', '192.168.1.22'),
      service.getNode('homelab', 'talos-worker-1'),
    ]);
    expect(calls()).toBe(after);
    await expect(service.getNode('homelab', '10.9.9.9')).rejects.toThrow(
      'Talos cluster "homelab" has no node "10.9.9.9"',
    );
  });

  it('asks the Image Factory again a minute after it failed, not an hour', async () => {
    service = start(false, {}, 0.01);
    sim.faults.add({
      service: 'talos-factory',
      kind: 'error',
      status: 503,
    });
    const down = await service.getCluster('homelab');
    expect(down.upgrades.source).not.toBe('image-factory');
    expect(down.upgrades.error).toContain('HTTP 503');
    sim.faults.clear();
    const later = Date.now() + 61_000;
    jest.spyOn(Date, 'now').mockReturnValue(later);
    try {
      const back = await service.getCluster('homelab');
      expect(back.upgrades.source).toBe('image-factory');
      expect(back.upgrades.error).toBeUndefined();
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('tells a VM that is not a Talos node apart', async () => {
    service = start();
    await expect(
      service.getForEntity('resource:default/proxmox-home-vm-102'),
    ).rejects.toThrow(
      /No Talos node was found in resource:default\/proxmox-home-vm-102/,
    );
  });
});

describe('TalosService across Talos versions', () => {
  let sim: SimUnderTest<'talos'>;
  let service: TalosService;

  beforeAll(async () => {
    // The same household mid-upgrade: the control plane on 1.14, the worker still on 1.10.
    const scenario = loadScenario();
    scenario.talos.nodes[0].talosVersion = 'v1.14.0';
    sim = await startSim({
      only: ['talos'],
      scenario,
      tmpPrefix: 'talos-versions-',
    });
  });

  afterAll(async () => {
    await service?.close();
    await sim?.close();
  });

  it('reads each node with the APIs its version has', async () => {
    const config = readConfig(
      new ConfigReader({
        talos: {
          clusters: [
            {
              name: 'homelab',
              talosconfigPath: sim.talos.talosconfigFile,
            },
          ],
          upgrades: { talosVersions: ['v1.13.9', 'v1.14.0'] },
        },
      }),
    )!;
    service = new TalosService(config, {
      logger: mockServices.logger.mock(),
      vmEntities: async () => [],
    });
    const view = await service.getCluster('homelab');
    const [cp, worker] = view.nodes;
    // 1.14 has KubeletStatus (any role) and ImageFactorySchematics.
    expect(cp).toMatchObject({
      talosVersion: 'v1.14.0',
      kubernetesVersionSource: 'KubeletStatus',
      problems: [],
    });
    expect(cp.schematicId).toMatch(/^[0-9a-f]{64}$/);
    expect(view.etcd.members[0].status?.storageVersion).toBe('3.5.0');
    // 1.10 has neither: the schematic comes from the extension, the worker's Kubernetes version stays unknown to a reader.
    expect(worker).toMatchObject({ talosVersion: 'v1.10.6', problems: [] });
    expect(worker.kubernetesVersion).toBeUndefined();
    expect(worker.schematicId).toBe(cp.schematicId);
    expect(view.upgrades.talos.running).toEqual(['v1.10.6', 'v1.14.0']);
    expect(view.upgrades.talos.notes).toContain(
      'nodes run different Talos versions (v1.10.6, v1.14.0): finish the upgrade in progress first',
    );
  });
});

describe('TalosService with the Kubernetes API of the Pod it runs in', () => {
  let sim: SimUnderTest<'talos' | 'kubernetes'>;
  let service: TalosService;
  let mount: ServiceAccountMount;

  beforeAll(async () => {
    sim = await startSim({
      only: ['talos', 'kubernetes'],
      tmpPrefix: 'talos-in-pod-',
    });
  });

  afterAll(async () => {
    await service?.close();
    mount?.remove();
    await sim?.close();
  });

  it('runs the Kubernetes checks with the mounted service account when the cluster has no token (app-config.production.yaml)', async () => {
    mount = mountServiceAccount({
      apiServer: sim.kubernetes.url,
      caPem: sim.caPem,
      token: sim.kubernetes.token,
    });
    const root = new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'homelab',
                url: 'https://kubernetes.default.svc',
                authProvider: 'serviceAccount',
                caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
              },
            ],
          },
        ],
      },
      talos: {
        clusters: [
          {
            name: 'homelab',
            talosconfigPath: sim.talos.talosconfigFile,
            kubernetesCluster: 'homelab',
          },
        ],
        upgrades: { talosVersions: ['v1.10.6'] },
      },
    });
    const config = readTalosConfig(
      root,
      DefaultKubernetesClusterService.fromConfig(root, {
        serviceAccountPathPrefix: mount.prefix,
      }),
    )!;
    service = new TalosService(config, {
      logger: mockServices.logger.mock(),
      vmEntities: async () => [],
    });
    const view = await service.getCluster('homelab');
    expect(view.kubernetes).toEqual({ configured: true });
    const byId = Object.fromEntries(view.health.map(c => [c.id, c]));
    expect(byId['k8s-nodes-reported']).toMatchObject({
      status: 'pass',
      reason: '2 node(s) registered',
    });
    expect(byId['k8s-nodes-ready'].status).toBe('pass');
  });
});
