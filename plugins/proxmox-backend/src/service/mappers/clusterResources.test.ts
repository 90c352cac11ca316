import { parseClusterResources } from '@homelab-portal/plugin-proxmox-node';
import { referenceBody } from '../../__testUtils__/referenceBody';
import {
  guestCounts,
  guestSummary,
  nodeSummary,
  storageSummary,
} from './clusterResources';

const resources = parseClusterResources(
  referenceBody('GET /cluster/resources'),
);
const guest = (vmid: number) => resources.guests.find(g => g.vmid === vmid)!;

describe('the /cluster/resources mappers on the reference household', () => {
  it('maps the node with its numbers and catalog entity', () => {
    expect(resources.nodes.map(n => nodeSummary('home', n))).toEqual([
      {
        node: 'pve',
        status: 'online',
        uptime: 1065420,
        cpu: 0.0712431693989071,
        maxcpu: 12,
        mem: 30412345344,
        maxmem: 67227705344,
        disk: 14872309760,
        maxdisk: 100861726720,
        entityRef: 'resource:default/proxmox-home-node-pve',
      },
    ]);
  });

  it('maps storage, turning the 0/1 "shared" into a boolean', () => {
    const byName = Object.fromEntries(
      resources.storage.map(s => [s.storage, storageSummary('home', s)]),
    );
    expect(Object.keys(byName)).toEqual(['local', 'local-lvm', 'nas-backup']);
    expect(byName['nas-backup']).toEqual({
      storage: 'nas-backup',
      node: 'pve',
      plugintype: 'nfs',
      status: 'available',
      shared: true,
      content: ['backup'],
      disk: 1213756211200,
      maxdisk: 3998833520640,
      entityRef: 'resource:default/proxmox-home-storage-pve-nas-backup',
    });
    expect(byName.local.shared).toBe(false);
  });

  it('maps guests with their tags, no addresses yet, and the template flag', () => {
    expect(guestSummary('home', guest(100))).toEqual({
      vmid: 100,
      type: 'qemu',
      name: 'talos-cp-01',
      node: 'pve',
      status: 'running',
      template: false,
      uptime: 1064890,
      cpu: 0.0873512,
      maxcpu: 4,
      mem: 4921366528,
      maxmem: 8589934592,
      disk: 0,
      maxdisk: 68719476736,
      tags: ['control-plane', 'k8s', 'talos'],
      lock: undefined,
      hastate: undefined,
      ips: [],
      entityRef: 'resource:default/proxmox-home-vm-100',
    });
    expect(guestSummary('home', guest(200))).toMatchObject({
      type: 'lxc',
      name: 'traefik',
      entityRef: 'resource:default/proxmox-home-ct-200',
    });
    expect(guestSummary('home', guest(9000)).template).toBe(true);
  });

  it('names a guest Proxmox lists without a name by its kind and VMID', () => {
    const { name: _vm, ...vm } = guest(101);
    const { name: _ct, ...ct } = guest(200);
    expect(guestSummary('home', vm).name).toBe('VM 101');
    expect(guestSummary('home', ct).name).toBe('CT 200');
  });

  it('counts running and total guests per kind, templates apart', () => {
    expect(guestCounts(resources.guests)).toEqual({
      vms: { running: 3, total: 3 },
      containers: { running: 1, total: 1 },
      templates: 1,
    });
  });
});
