import { createHash } from 'node:crypto';
import type { Endpoint } from '../endpoints';
import { PveError } from '../pveHttp';
import { can } from './shared';

/**
 * Datacenter-wide reads: the QDevice (Prometheus PVE exporter's
 * ClusterQDeviceCollector asks when there is a cluster), the next free
 * VMID (`qm create` in scripts), pools, and storage.cfg.
 */
export function clusterEndpoints(): Endpoint[] {
  return [
    {
      method: 'GET',
      path: '/cluster/config/qdevice',
      params: {},
      check: () => ['perm', '/', ['Sys.Audit']],
      // No corosync QDevice in the household: an empty object.
      handle: () => ({ data: {} }),
    },
    {
      method: 'GET',
      path: '/cluster/nextid',
      params: {
        vmid: {
          type: 'integer',
          optional: 1,
          minimum: 100,
          maximum: 999999999,
        },
      },
      handle: c => {
        const taken = new Set(c.model.guests.keys());
        if (c.params.vmid !== undefined) {
          const vmid = Number(c.params.vmid);
          if (taken.has(vmid))
            throw new PveError(400, `VM ${vmid} already exists`);
          return { data: String(vmid) };
        }
        let next = 100;
        while (taken.has(next)) next++;
        // The handler's scalar is serialized as a string ({"data":"101"}).
        return { data: String(next) };
      },
    },
    {
      method: 'GET',
      path: '/pools',
      params: {
        poolid: { type: 'string', optional: 1, format: 'pve-poolid' },
        type: { type: 'string', optional: 1, enum: ['qemu', 'lxc', 'storage'] },
      },
      // The household keeps no resource pools.
      handle: () => ({ data: [] }),
    },
    {
      method: 'GET',
      path: '/storage',
      // GlusterFS support ended with PVE 9.
      params: major => ({
        type: {
          type: 'string',
          optional: 1,
          enum: [
            'btrfs',
            'cephfs',
            'cifs',
            'dir',
            'esxi',
            ...(major < 9 ? ['glusterfs'] : []),
            'iscsi',
            'iscsidirect',
            'lvm',
            'lvmthin',
            'nfs',
            'pbs',
            'rbd',
            'zfs',
            'zfspool',
          ],
        },
      }),
      handle: c => {
        const seen = new Map<string, Record<string, unknown>>();
        for (const node of c.model.nodes) {
          for (const s of node.storage) {
            if (seen.has(s.id)) continue;
            if (c.params.type && s.type !== c.params.type) continue;
            if (
              !can(c, `/storage/${s.id}`, [
                'Datastore.Audit',
                'Datastore.AllocateSpace',
              ])
            )
              continue;
            seen.set(s.id, {
              storage: s.id,
              type: s.type,
              content: [...s.content].sort().join(','),
              // storage.cfg's SHA-1, the same for every entry of one read.
              digest: createHash('sha1')
                .update(JSON.stringify(c.model.nodes.map(n => n.storage)))
                .digest('hex'),
              ...(s.type === 'dir' && { path: '/var/lib/vz' }),
              ...(s.type === 'lvmthin' && { thinpool: 'data', vgname: 'pve' }),
              ...(s.type === 'nfs' && {
                server: '192.168.1.40',
                export: `/volume1/${s.id}`,
                path: `/mnt/pve/${s.id}`,
                options: 'vers=4.2',
              }),
              ...(s.shared && { shared: 1 }),
              ...(s.content.includes('backup') && {
                'prune-backups': 'keep-all=1',
              }),
            });
          }
        }
        return { data: [...seen.values()] };
      },
    },
  ];
}
