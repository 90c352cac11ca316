import type {
  ProxmoxGuestSummary,
  ProxmoxInstanceInfo,
  ProxmoxRrdPoint,
} from '@homelab-portal/plugin-proxmox-common';
import { ProxmoxApi } from '../api/ProxmoxApi';

export const now = Math.floor(Date.now() / 1000);
const day = 86400;

export const instance: ProxmoxInstanceInfo = {
  id: 'home',
  webUrl: 'https://pve.home.arpa:8006',
  powerActionsConfigured: true,
  backupWarningDays: 2,
};

export function rrd(n = 10): ProxmoxRrdPoint[] {
  return Array.from({ length: n }, (_, i) => ({
    time: now - (n - i) * 60,
    cpu: 0.1 + i / 100,
    mem: 2e9 + i * 1e7,
    memused: 3e10,
    memtotal: 6.4e10,
    rootused: 1.4e10,
    roottotal: 1e11,
    netin: 4e5,
    netout: 3e5,
    diskread: 1e4,
    diskwrite: 8e4,
  }));
}

export const guests: ProxmoxGuestSummary[] = [
  {
    vmid: 100,
    type: 'qemu',
    name: 'talos-cp-1',
    node: 'pve',
    status: 'running',
    template: false,
    uptime: 9 * day,
    cpu: 0.2,
    maxcpu: 4,
    mem: 4e9,
    maxmem: 8.6e9,
    maxdisk: 6.9e10,
    tags: ['controlplane', 'talos'],
    ips: ['192.168.1.21'],
    lastBackupAt: now - 6 * 3600,
    notBackedUp: false,
    entityRef: 'resource:default/proxmox-home-vm-100',
  },
  {
    vmid: 102,
    type: 'qemu',
    name: 'haos',
    node: 'pve',
    status: 'running',
    template: false,
    uptime: 9 * day,
    cpu: 0.03,
    maxcpu: 2,
    mem: 1.9e9,
    maxmem: 4.3e9,
    maxdisk: 3.4e10,
    tags: ['home-assistant'],
    ips: ['192.168.1.30'],
    lastBackupAt: now - 8 * day,
    notBackedUp: false,
    entityRef: 'resource:default/proxmox-home-vm-102',
  },
  {
    vmid: 200,
    type: 'lxc',
    name: 'traefik',
    node: 'pve',
    status: 'stopped',
    template: false,
    maxcpu: 1,
    maxmem: 5.4e8,
    disk: 1.5e9,
    maxdisk: 8.6e9,
    tags: ['edge'],
    ips: [],
    notBackedUp: true,
    entityRef: 'resource:default/proxmox-home-ct-200',
  },
];

const state = { fetchedAt: new Date().toISOString(), stale: false };

/** A fake backend answering like the Proxmox backend plugin does. */
export function fakeApi(
  overrides: Partial<ProxmoxApi> = {},
): jest.Mocked<ProxmoxApi> {
  const api: ProxmoxApi = {
    listInstances: async () => [instance],
    getOverview: async () => ({
      instance,
      version: '9.1.1',
      nodes: [
        {
          node: 'pve',
          status: 'online',
          uptime: 10 * day,
          cpu: 0.12,
          maxcpu: 12,
          mem: 3e10,
          maxmem: 6.4e10,
          disk: 1.4e10,
          maxdisk: 1e11,
          entityRef: 'resource:default/proxmox-home-node-pve',
        },
      ],
      storage: [
        {
          storage: 'nas-backups',
          node: 'pve',
          plugintype: 'nfs',
          status: 'available',
          shared: true,
          content: ['backup'],
          disk: 1.6e12,
          maxdisk: 4e12,
          entityRef: 'resource:default/proxmox-home-storage-pve-nas-backups',
        },
      ],
      counts: {
        vms: { running: 2, total: 2 },
        containers: { running: 0, total: 1 },
        templates: 1,
      },
      state,
    }),
    getGuests: async () => ({
      guests,
      backupSource: 'task-history',
      backupsLoading: false,
      state,
    }),
    getGuest: async (_i, vmid) => ({
      guest: guests.find(g => g.vmid === vmid)!,
      current: {
        status: 'running',
        qmpstatus: 'running',
        uptime: 9 * day,
        cpu: 0.2,
        cpus: 4,
        mem: 4e9,
        maxmem: 8.6e9,
        haManaged: false,
        agent: true,
      },
      config: {
        cores: 4,
        memoryMiB: 8192,
        ostype: 'l26',
        onboot: true,
        agent: true,
        disks: [{ key: 'scsi0', value: 'local-lvm:vm-100-disk-0,size=64G' }],
        networks: [
          { key: 'net0', value: 'virtio=BC:24:11:3A:10:21,bridge=vmbr0' },
        ],
        smbiosUuid: '6f1c2a4e-8b3d-4e0f-9a51-2c7d3e100100',
      },
      interfaces: [
        {
          name: 'ens18',
          mac: 'bc:24:11:3a:10:21',
          addresses: [{ address: '192.168.1.21', prefix: 24, family: 'ipv4' }],
        },
      ],
      webUrl: 'https://pve.home.arpa:8006/#v1:0:=qemu%2F100:4:::::::',
      state,
      partialErrors: [],
    }),
    getGuestRrd: async () => ({ rrd: rrd(), timeframe: 'hour', state }),
    getNode: async () => ({
      node: (await api.getOverview('home')).nodes[0],
      status: {
        pveversion: 'pve-manager/9.1.1/42db4a6cf33dac83',
        cpuModel: 'Intel(R) Core(TM) i5-12500T',
        cpus: 12,
        loadavg: [0.6, 0.7, 0.7],
      },
      rrd: rrd(),
      timeframe: 'hour',
      storage: [],
      guests,
      state,
      partialErrors: [],
    }),
    getBackups: async (_i, vmid) => ({
      vmid,
      source: 'task-history',
      backups: [
        {
          time: guests.find(g => g.vmid === vmid)?.lastBackupAt ?? now,
          ok: true,
          upid: 'UPID:x',
        },
      ],
      lastBackupAt: guests.find(g => g.vmid === vmid)?.lastBackupAt,
      notBackedUp: !!guests.find(g => g.vmid === vmid)?.notBackedUp,
      jobs: [
        {
          id: 'backup-1',
          schedule: '02:00',
          storage: 'nas-backups',
          enabled: true,
        },
      ],
      hint: 'The API token backstage@pve!catalog may not list backup files.',
      warningDays: 2,
      state,
    }),
    getGuestTasks: async () => ({ tasks: [], state }),
    getRecentTasks: async () => ({
      tasks: [
        {
          upid: 'UPID:pve:0032DE29:048A87E1:6B063310:vzdump::root@pam:',
          node: 'pve',
          type: 'vzdump',
          id: '',
          user: 'root@pam',
          starttime: now - 6 * 3600,
          endtime: now - 6 * 3600 + 206,
          status: 'stopped',
          exitstatus: 'job errors',
          ok: false,
        },
      ],
      state,
    }),
    getPowerActions: async () => [],
    power: async () => {
      throw new Error('not expected');
    },
    getTaskStatus: async () => {
      throw new Error('not expected');
    },
    ...overrides,
  };
  for (const key of Object.keys(api) as (keyof ProxmoxApi)[]) {
    api[key] = jest.fn(api[key] as (...args: unknown[]) => unknown) as never;
  }
  return api as jest.Mocked<ProxmoxApi>;
}
