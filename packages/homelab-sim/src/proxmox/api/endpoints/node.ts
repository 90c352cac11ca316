import type { Endpoint } from '../endpoints';
import { P } from '../pveHttp';

/**
 * Per-node reads a monitoring tool makes besides status: the subscription
 * (Prometheus PVE exporter's SubscriptionCollector), replication jobs
 * (ReplicationCollector), the node's package version, its network
 * configuration and its disks.
 */
export function nodeEndpoints(): Endpoint[] {
  return [
    {
      method: 'GET',
      path: '/nodes/{node}/subscription',
      params: { node: P.node },
      handle: c => {
        c.model.requireNode(String(c.params.node));
        // A household on the no-subscription repository.
        return {
          data: {
            status: 'notfound',
            message: 'There is no subscription key',
            url: 'https://www.proxmox.com/en/proxmox-virtual-environment/pricing',
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/nodes/{node}/replication',
      params: {
        node: P.node,
        guest: { ...P.vmid, optional: 1 },
      },
      handle: c => {
        c.model.requireNode(String(c.params.node));
        // Storage replication needs ZFS on two nodes: a one-node homelab has none.
        return { data: [] };
      },
    },
    {
      method: 'GET',
      path: '/nodes/{node}/version',
      params: { node: P.node },
      handle: c => {
        c.model.requireNode(String(c.params.node));
        return { data: { ...c.model.version } };
      },
    },
    {
      method: 'GET',
      path: '/nodes/{node}/network',
      params: {
        node: P.node,
        type: {
          type: 'string',
          optional: 1,
          enum: [
            'bridge',
            'bond',
            'eth',
            'alias',
            'vlan',
            'fabric',
            'OVSBridge',
            'OVSBond',
            'OVSPort',
            'OVSIntPort',
            'vnet',
            'any_bridge',
            'any_local_bridge',
            'include_sdn',
          ],
        },
      },
      check: () => undefined,
      handle: c => {
        const node = c.model.requireNode(String(c.params.node));
        const gateway = node.ip.replace(/\.\d+$/, '.1');
        const all = [
          {
            iface: 'enp1s0',
            type: 'eth',
            method: 'manual',
            method6: 'manual',
            families: ['inet'],
            active: 1,
            exists: 1,
            priority: 3,
          },
          {
            iface: 'vmbr0',
            type: 'bridge',
            method: 'static',
            method6: 'manual',
            families: ['inet'],
            address: node.ip,
            netmask: '24',
            cidr: `${node.ip}/24`,
            gateway,
            bridge_ports: 'enp1s0',
            bridge_stp: 'off',
            bridge_fd: '0',
            autostart: 1,
            active: 1,
            priority: 4,
          },
        ];
        const type = c.params.type;
        const wanted = (i: { type: string }) =>
          !type ||
          i.type === type ||
          ((type === 'any_bridge' || type === 'any_local_bridge') &&
            i.type === 'bridge');
        return { data: all.filter(wanted) };
      },
    },
    {
      method: 'GET',
      path: '/nodes/{node}/disks/list',
      params: {
        node: P.node,
        'include-partitions': P.optionalBool,
        skipsmart: P.optionalBool,
        type: {
          type: 'string',
          optional: 1,
          enum: ['unused', 'journal_disks'],
        },
      },
      check: () => [
        'or',
        ['perm', '/', ['Sys.Audit']],
        ['perm', '/nodes/{node}', ['Sys.Audit']],
      ],
      handle: c => {
        const node = c.model.requireNode(String(c.params.node));
        const disk = (
          devpath: string,
          model: string,
          serial: string,
          sizeGiB: number,
          used: string,
        ) => ({
          devpath,
          model,
          serial,
          vendor: 'ATA',
          size: Math.round(sizeGiB * 1024 ** 3),
          type: 'ssd',
          rpm: 0,
          gpt: 1,
          mounted: 0,
          osdid: -1,
          'osdid-list': null,
          wwn: `0x5002538${serial.slice(-9).toLowerCase()}`,
          ...(c.params.skipsmart ? {} : { health: 'PASSED', wearout: 97 }),
          used,
          by_id_link: `/dev/disk/by-id/ata-${model.replace(
            / /g,
            '_',
          )}_${serial}`,
        });
        const data = [
          disk(
            '/dev/nvme0n1',
            'Samsung SSD 980 PRO 1TB',
            'S5GXNX0T812345A',
            931.5,
            'LVM',
          ),
          disk(
            '/dev/sda',
            'Samsung SSD 870 EVO 250GB',
            'S6PENL0T512345B',
            node.rootfsGiB + 138.9,
            'BIOS boot',
          ),
        ];
        return { data: c.params.type === 'unused' ? [] : data };
      },
    },
  ];
}
