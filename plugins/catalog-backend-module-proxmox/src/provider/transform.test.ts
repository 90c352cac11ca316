import type { ClusterResources } from '@homelab-portal/plugin-proxmox-node';
import { resourcesToEntities, sanitizeTags } from './transform';

const options = {
  instance: 'home',
  webUrl: 'https://pve.home.arpa:8006',
  owner: 'group:home-admins',
  system: 'homelab',
};

const resources: ClusterResources = {
  nodes: [{ id: 'node/pve', type: 'node', node: 'pve', status: 'online' }],
  guests: [
    {
      id: 'qemu/100',
      type: 'qemu',
      vmid: 100,
      node: 'pve',
      status: 'running',
      name: 'talos-cp-1',
      template: false,
      tags: ['talos', 'Control_Plane'],
    },
    {
      id: 'qemu/9000',
      type: 'qemu',
      vmid: 9000,
      node: 'pve',
      status: 'stopped',
      name: 'talos-template',
      template: true,
      tags: [],
    },
    {
      id: 'lxc/200',
      type: 'lxc',
      vmid: 200,
      node: 'pve',
      status: 'running',
      name: 'traefik',
      tags: ['edge'],
    },
  ],
  storage: [
    {
      id: 'storage/pve/nas-backups',
      type: 'storage',
      storage: 'nas-backups',
      node: 'pve',
      plugintype: 'nfs',
      shared: true,
      content: ['backup'],
    },
  ],
};

describe('resourcesToEntities', () => {
  const { entities, skipped } = resourcesToEntities(resources, options);
  const byName = new Map(entities.map(e => [e.metadata.name, e]));

  it('names every object by the rule in catalog/README.md', () => {
    expect([...byName.keys()].sort()).toEqual([
      'proxmox-home-ct-200',
      'proxmox-home-node-pve',
      'proxmox-home-storage-pve-nas-backups',
      'proxmox-home-vm-100',
      'proxmox-home-vm-9000',
    ]);
    expect(skipped).toEqual([]);
  });

  it('describes a VM with its title, annotations, tags, owner and node', () => {
    expect(byName.get('proxmox-home-vm-100')).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'proxmox-home-vm-100',
        namespace: 'default',
        title: 'talos-cp-1 (VM 100)',
        description:
          'QEMU virtual machine 100 ("talos-cp-1") on Proxmox VE node pve.',
        tags: ['talos', 'control-plane'],
        annotations: {
          'backstage.io/managed-by-location':
            'url:https://pve.home.arpa:8006/#v1:0:=qemu%2F100:4:::::::',
          'backstage.io/managed-by-origin-location':
            'url:https://pve.home.arpa:8006/#v1:0:=qemu%2F100:4:::::::',
          'proxmox.homelab.dev/instance': 'home',
          'proxmox.homelab.dev/node': 'pve',
          'proxmox.homelab.dev/vmid': '100',
          'proxmox.homelab.dev/type': 'qemu',
        },
        links: [
          {
            url: 'https://pve.home.arpa:8006/#v1:0:=qemu%2F100:4:::::::',
            title: 'Open in Proxmox VE',
          },
        ],
      },
      spec: {
        type: 'virtual-machine',
        owner: 'group:home-admins',
        system: 'homelab',
        dependsOn: ['resource:default/proxmox-home-node-pve'],
      },
    });
  });

  it('types templates and containers apart', () => {
    expect(byName.get('proxmox-home-vm-9000')?.spec?.type).toBe(
      'virtual-machine-template',
    );
    expect(byName.get('proxmox-home-ct-200')?.spec?.type).toBe('lxc-container');
    expect(byName.get('proxmox-home-ct-200')?.metadata.title).toBe(
      'traefik (LXC 200)',
    );
    expect(byName.get('proxmox-home-node-pve')?.spec?.type).toBe(
      'proxmox-node',
    );
    expect(
      byName.get('proxmox-home-storage-pve-nas-backups')?.spec,
    ).toMatchObject({
      type: 'storage',
      dependsOn: ['resource:default/proxmox-home-node-pve'],
    });
  });

  it('skips an object whose name cannot be an entity name, and says why', () => {
    const long = resourcesToEntities(
      {
        ...resources,
        storage: [{ ...resources.storage[0], storage: `s${'x'.repeat(80)}` }],
      },
      options,
    );
    expect(long.skipped).toEqual([
      expect.stringContaining('is not a valid entity name'),
    ]);
    expect(long.entities).toHaveLength(4);
  });
});

describe('sanitizeTags', () => {
  it('keeps Proxmox tags within the catalog tag rules', () => {
    expect(
      sanitizeTags(['K8s', 'home_assistant', 'a.b', '--x--', 'k8s', '', 'c++']),
    ).toEqual(['k8s', 'home-assistant', 'a-b', 'x', 'c++']);
  });
});
