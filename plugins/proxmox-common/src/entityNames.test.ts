import { proxmoxEntityName, proxmoxEntityRef } from './entityNames';

describe('proxmoxEntityName (catalog/README.md naming rule)', () => {
  it('names each kind of object from its stable ids', () => {
    expect(
      proxmoxEntityName({ instance: 'home', kind: 'node', node: 'pve' }),
    ).toBe('proxmox-home-node-pve');
    expect(
      proxmoxEntityName({ instance: 'home', kind: 'qemu', vmid: 100 }),
    ).toBe('proxmox-home-vm-100');
    expect(
      proxmoxEntityName({ instance: 'home', kind: 'lxc', vmid: '200' }),
    ).toBe('proxmox-home-ct-200');
    expect(
      proxmoxEntityName({
        instance: 'home',
        kind: 'storage',
        node: 'pve',
        storage: 'nas-backups',
      }),
    ).toBe('proxmox-home-storage-pve-nas-backups');
  });

  it('lower-cases and replaces characters outside [a-z0-9-]', () => {
    expect(
      proxmoxEntityName({
        instance: 'Home',
        kind: 'storage',
        node: 'PVE2',
        storage: 'zfs_pool.fast',
      }),
    ).toBe('proxmox-home-storage-pve2-zfs-pool-fast');
  });

  it('builds refs in the default namespace', () => {
    expect(
      proxmoxEntityRef({ instance: 'home', kind: 'qemu', vmid: 101 }),
    ).toBe('resource:default/proxmox-home-vm-101');
  });
});
