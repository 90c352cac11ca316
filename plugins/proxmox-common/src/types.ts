/**
 * What the Proxmox backend serves to the Proxmox views. Wire formats of the
 * Proxmox API itself live in the -node package; these are the portal's own,
 * already normalised (numbers are numbers, booleans are booleans).
 */

/** @public */
export type ProxmoxGuestType = 'qemu' | 'lxc';

/** @public */
export type ProxmoxPowerAction = 'start' | 'shutdown' | 'stop' | 'reboot';

/** @public */
export const proxmoxPowerActions: ProxmoxPowerAction[] = [
  'start',
  'shutdown',
  'stop',
  'reboot',
];

/**
 * Why a call to Proxmox failed, so the UI can say what to do.
 *
 * @public
 */
export type ProxmoxErrorKind =
  /** 401: the API token was refused. */
  | 'authentication'
  /** 403: the token lacks a privilege (named in the message). */
  | 'permission'
  /** The certificate is not trusted (give the portal the cluster CA). */
  | 'tls'
  /** Connection refused, reset, DNS failure. */
  | 'unreachable'
  /** No answer in time. */
  | 'timeout'
  /** The node the object lives on is offline. */
  | 'node-offline'
  /** The object does not exist (unknown VMID, node or storage). */
  | 'not-found'
  /** Proxmox refused the request as it stands (already running, ...). */
  | 'conflict'
  /** Proxmox answered something that is not its API's shape. */
  | 'bad-response'
  /** Any other error answer from Proxmox. */
  | 'upstream';

/** @public */
export type ProxmoxUpstreamError = {
  kind: ProxmoxErrorKind;
  message: string;
};

/**
 * How fresh the data in a response is. When Proxmox cannot be reached the
 * backend answers with the last data it has, `stale: true` and the error.
 *
 * @public
 */
export type ProxmoxDataState = {
  /** ISO time the data was read from Proxmox; absent when never. */
  fetchedAt?: string;
  stale: boolean;
  error?: ProxmoxUpstreamError;
};

/** @public */
export type ProxmoxInstanceInfo = {
  id: string;
  /** The Proxmox web UI, for "open in Proxmox" links. */
  webUrl: string;
  /** Whether a token for power actions is configured. */
  powerActionsConfigured: boolean;
  /** Days after which a guest's last backup counts as too old. */
  backupWarningDays: number;
};

/** @public */
export type ProxmoxNodeSummary = {
  node: string;
  status: 'online' | 'offline' | 'unknown' | string;
  uptime?: number;
  /** Fraction 0..1 of maxcpu. */
  cpu?: number;
  maxcpu?: number;
  mem?: number;
  maxmem?: number;
  disk?: number;
  maxdisk?: number;
  entityRef: string;
};

/** @public */
export type ProxmoxStorageSummary = {
  storage: string;
  node: string;
  plugintype?: string;
  status?: string;
  shared: boolean;
  content: string[];
  disk?: number;
  maxdisk?: number;
  entityRef: string;
};

/** @public */
export type ProxmoxGuestSummary = {
  vmid: number;
  type: ProxmoxGuestType;
  name: string;
  node: string;
  /** running, stopped, paused, ... (QMP run state for QEMU). */
  status: string;
  template: boolean;
  uptime?: number;
  cpu?: number;
  maxcpu?: number;
  mem?: number;
  maxmem?: number;
  disk?: number;
  maxdisk?: number;
  tags: string[];
  lock?: string;
  hastate?: string;
  /** Addresses reported by the guest agent (QEMU) or the container. */
  ips: string[];
  /** Epoch seconds of the newest backup; absent when none is known. */
  lastBackupAt?: number;
  /** The guest is in no backup job (`/cluster/backup-info/not-backed-up`). */
  notBackedUp?: boolean;
  entityRef: string;
};

/** @public */
export type ProxmoxTask = {
  upid: string;
  node: string;
  type: string;
  id: string;
  user: string;
  starttime: number;
  endtime?: number;
  /** running | stopped */
  status: 'running' | 'stopped';
  /** For a stopped task: OK, `WARNINGS: n`, or the error. */
  exitstatus?: string;
  ok?: boolean;
};

/** @public */
export type ProxmoxOverview = {
  instance: ProxmoxInstanceInfo;
  version?: string;
  nodes: ProxmoxNodeSummary[];
  storage: ProxmoxStorageSummary[];
  counts: {
    vms: { running: number; total: number };
    containers: { running: number; total: number };
    templates: number;
  };
  state: ProxmoxDataState;
};

/** @public */
export type ProxmoxGuestsResponse = {
  guests: ProxmoxGuestSummary[];
  /** Where `lastBackupAt` comes from (see {@link ProxmoxBackupsResponse}). */
  backupSource: ProxmoxBackupSource;
  /** Backup history is still being read (or could not be); ages are missing. */
  backupsLoading: boolean;
  state: ProxmoxDataState;
};

/** @public */
export type ProxmoxRrdPoint = {
  /** Epoch seconds. */
  time: number;
  [metric: string]: number | undefined;
};

/** @public */
export type ProxmoxTimeframe = 'hour' | 'day' | 'week' | 'month' | 'year';

/** @public */
export type ProxmoxGuestDetail = {
  guest: ProxmoxGuestSummary;
  /** Live status (`status/current`); absent when it could not be read. */
  current?: {
    status: string;
    qmpstatus?: string;
    uptime?: number;
    cpu?: number;
    cpus?: number;
    mem?: number;
    maxmem?: number;
    disk?: number;
    maxdisk?: number;
    netin?: number;
    netout?: number;
    agent?: boolean;
    haManaged: boolean;
    haState?: string;
    runningQemu?: string;
    lock?: string;
  };
  /** A readable summary of the guest's configuration. */
  config?: {
    cores?: number;
    sockets?: number;
    memoryMiB?: number;
    ostype?: string;
    description?: string;
    onboot?: boolean;
    agent?: boolean;
    disks: { key: string; value: string }[];
    networks: { key: string; value: string }[];
    unprivileged?: boolean;
    smbiosUuid?: string;
  };
  /** Interfaces with their addresses (guest agent or container). */
  interfaces?: {
    name: string;
    mac?: string;
    addresses: { address: string; prefix?: number; family: 'ipv4' | 'ipv6' }[];
  }[];
  /** Why the interfaces are missing, if they are. */
  interfacesUnavailable?: string;
  webUrl: string;
  state: ProxmoxDataState;
  /** Errors of the detail calls that failed (the rest is still shown). */
  partialErrors: { what: string; error: ProxmoxUpstreamError }[];
};

/** @public */
export type ProxmoxNodeDetail = {
  node: ProxmoxNodeSummary;
  status?: {
    pveversion?: string;
    kversion?: string;
    cpuModel?: string;
    cpus?: number;
    loadavg?: number[];
    memory?: { total: number; used: number };
    rootfs?: { total: number; used: number };
    swap?: { total: number; used: number };
    bootMode?: string;
  };
  rrd: ProxmoxRrdPoint[];
  timeframe: ProxmoxTimeframe;
  storage: ProxmoxStorageSummary[];
  guests: ProxmoxGuestSummary[];
  state: ProxmoxDataState;
  partialErrors: { what: string; error: ProxmoxUpstreamError }[];
};

/**
 * `storage`: the backup files themselves (the token may list them).
 * `task-history`: read from the backup (vzdump) task logs, because the token
 * may not list backup files (a read-only token gets an empty list from
 * Proxmox, not an error).
 *
 * @public
 */
export type ProxmoxBackupSource = 'storage' | 'task-history';

/** @public */
export type ProxmoxBackup = {
  /** Epoch seconds. */
  time: number;
  storage?: string;
  volid?: string;
  size?: number;
  format?: string;
  notes?: string;
  protected?: boolean;
  /** From task history: the run's result for this guest. */
  ok: boolean;
  error?: string;
  upid?: string;
};

/** @public */
export type ProxmoxBackupsResponse = {
  vmid: number;
  source: ProxmoxBackupSource;
  /** Newest first. */
  backups: ProxmoxBackup[];
  /** Newest successful backup, epoch seconds. */
  lastBackupAt?: number;
  /** The guest is in no backup job. */
  notBackedUp: boolean;
  /** Backup jobs that include the guest. */
  jobs: {
    id: string;
    schedule?: string;
    storage?: string;
    enabled: boolean;
    nextRun?: number;
  }[];
  /** What the admin can do to see more (for example the privileges to grant). */
  hint?: string;
  warningDays: number;
  state: ProxmoxDataState;
};

/** @public */
export type ProxmoxTasksResponse = {
  tasks: ProxmoxTask[];
  state: ProxmoxDataState;
};

/**
 * One recorded power action (the backend keeps every one).
 *
 * @public
 */
export type ProxmoxPowerActionRecord = {
  id: number;
  instance: string;
  node: string;
  vmid: number;
  guestType: ProxmoxGuestType;
  action: ProxmoxPowerAction;
  /** Entity ref of the user who asked. */
  actor: string;
  /** ISO time. */
  requestedAt: string;
  upid?: string;
  /** running, then ok or failed. */
  result: 'running' | 'ok' | 'failed';
  /** The task's exit status, or why the action never started. */
  message?: string;
  finishedAt?: string;
};

/** @public */
export type ProxmoxPowerActionResponse = {
  upid: string;
  record: ProxmoxPowerActionRecord;
};

/** @public */
export type ProxmoxTaskStatusResponse = {
  task: ProxmoxTask;
  record?: ProxmoxPowerActionRecord;
};
