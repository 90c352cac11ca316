import { SimContext } from '../SimContext';
import { Guest, Scenario, TalosNodeSpec } from '../scenario/schema';

/**
 * One simulated Talos machine: what its machined would answer, derived from
 * the scenario (the Talos node and the Proxmox VM it runs in) and from time,
 * so counters grow and gauges move like on a real node.
 */
export type ServiceState = {
  id: string;
  state: string;
  healthy: boolean;
  unknown: boolean;
  lastMessage: string;
  events: { msg: string; state: string; ts: number }[];
  lastChange: number;
};

const TWO_PI = 2 * Math.PI;

/** Services per machine type (internal/app/machined/pkg/system/services). */
const COMMON_SERVICES = [
  'apid',
  'auditd',
  'containerd',
  'cri',
  'dashboard',
  'kubelet',
  'machined',
  'syslogd',
  'udevd',
];
const CONTROL_PLANE_SERVICES = ['etcd', 'trustd'];

export class TalosMachine {
  readonly hostname: string;
  readonly ip: string;
  readonly role: 'controlplane' | 'worker';
  readonly talosVersion: string;
  readonly kubernetesVersion: string;
  readonly guest: Guest;
  /** Unix seconds. */
  readonly bootTime: number;
  private readonly phase: number;

  constructor(
    private readonly ctx: SimContext,
    readonly spec: TalosNodeSpec,
    readonly cluster: Scenario['talos'],
  ) {
    const guest = ctx.scenario.proxmox.guests.find(g => g.vmid === spec.vmid);
    if (!guest)
      throw new Error(`Talos node ${spec.hostname}: no VM ${spec.vmid}`);
    this.guest = guest;
    this.hostname = spec.hostname;
    this.ip = spec.ip;
    this.role = spec.role;
    this.talosVersion = spec.talosVersion ?? cluster.talosVersion;
    this.kubernetesVersion = cluster.kubernetesVersion;
    const upDays = 2 + 10 * ctx.unit(`talos-boot-${spec.hostname}`);
    this.bootTime = Math.floor(ctx.startedAt / 1000 - upDays * 86400);
    this.phase = TWO_PI * ctx.unit(`talos-phase-${spec.hostname}`);
  }

  get isControlPlane() {
    return this.role === 'controlplane';
  }

  /** [major, minor] of the Talos version, for features that came later. */
  get minor(): number {
    return Number(this.talosVersion.split('.')[1]);
  }

  get cpus(): number {
    return this.guest.cores;
  }

  /** Seconds since boot. */
  uptime(): number {
    return this.ctx.now() / 1000 - this.bootTime;
  }

  private sinceStart(): number {
    return (this.ctx.now() - this.ctx.startedAt) / 1000;
  }

  /** Busy fraction of all CPUs now: the VM's typical load, breathing. */
  busy(): number {
    const t = this.sinceStart();
    const l = this.guest.load;
    return Math.min(
      0.98,
      l * (1 + 0.4 * Math.sin((TWO_PI * t) / 240 + this.phase)) +
        0.03 * Math.sin((TWO_PI * t) / 37),
    );
  }

  /** Cumulative busy CPU-seconds since boot (the integral of busy(), so it only grows). */
  private busySeconds(): number {
    const l = this.guest.load;
    const w = TWO_PI / 240;
    const up = this.uptime();
    const t = this.sinceStart();
    // Before the sim started the load is taken as steady at its typical value.
    const before = l * (up - t);
    const since =
      l * t +
      ((l * 0.4) / w) * (Math.cos(this.phase) - Math.cos(w * t + this.phase));
    return (before + since) * this.cpus;
  }

  cpuTimes() {
    const total = this.uptime() * this.cpus;
    const busy = this.busySeconds();
    const user = busy * 0.68;
    const system = busy * 0.24;
    const iowait = busy * 0.03;
    const softIrq = busy * 0.04;
    const irq = busy * 0.01;
    return {
      user,
      nice: 0,
      system,
      idle: Math.max(0, total - busy),
      iowait,
      irq,
      soft_irq: softIrq,
      steal: 0,
      guest: 0,
      guest_nice: 0,
    };
  }

  loadAvg() {
    const busy = this.busy() * this.cpus;
    const t = this.sinceStart();
    return {
      load1: round2(busy * (1 + 0.15 * Math.sin((TWO_PI * t) / 61))),
      load5: round2(busy * 0.95),
      load15: round2(this.guest.load * this.cpus),
    };
  }

  /** /proc/meminfo in kB. */
  memInfo() {
    const total = Math.round(this.guest.memoryGiB * 1024 * 1024 * 0.975);
    const t = this.sinceStart();
    const base = this.isControlPlane ? 0.38 : 0.52;
    const used =
      base +
      0.05 * Math.sin((TWO_PI * t) / 300 + this.phase) +
      0.01 * Math.sin(t / 7);
    const cached = Math.round(total * 0.22);
    const buffers = Math.round(total * 0.012);
    const free = Math.max(0, Math.round(total * (1 - used)) - cached - buffers);
    return {
      memtotal: total,
      memfree: free,
      memavailable: free + Math.round(cached * 0.85) + buffers,
      buffers,
      cached,
      swapcached: 0,
      active: Math.round(total * used * 0.6),
      inactive: Math.round(total * used * 0.3),
      swaptotal: 0,
      swapfree: 0,
      dirty: Math.round(200 + 150 * Math.abs(Math.sin(t / 13))),
      shmem: Math.round(total * 0.004),
      slab: Math.round(total * 0.03),
    };
  }

  /** Monotonic counters of /proc/stat other than CPU times. */
  counters() {
    const up = this.uptime();
    return {
      context_switches: Math.floor(up * 2400 * this.cpus),
      process_created: Math.floor(up * 3.1),
      process_running: 1 + Math.round(this.busy() * this.cpus),
      process_blocked: 0,
      irq_total: Math.floor(up * 900 * this.cpus),
      soft_irq_total: Math.floor(up * 650 * this.cpus),
    };
  }

  services(): ServiceState[] {
    const ids = [
      ...COMMON_SERVICES,
      ...(this.isControlPlane ? CONTROL_PLANE_SERVICES : []),
      ...(this.guest.guestAgent ? ['ext-qemu-guest-agent'] : []),
    ].sort();
    const started = this.bootTime * 1000;
    return ids.map(id => {
      const failed = this.spec.failedServices.includes(id);
      const at = started + 4000 + 1000 * (ids.indexOf(id) % 7);
      const events = [
        { msg: 'Starting service', state: 'Starting', ts: at - 1500 },
        {
          msg: 'Waiting for service to be ready',
          state: 'Preparing',
          ts: at - 1000,
        },
        { msg: 'Service started as goroutine', state: 'Running', ts: at },
      ];
      if (failed) {
        events.push({
          msg: `Error running ${id}, going to restart forever: exit status 1`,
          state: 'Failed',
          ts: this.ctx.startedAt - 90_000,
        });
      }
      // Extension services have no health check (talos#9839): unknown.
      const unknown =
        id.startsWith('ext-') ||
        ['auditd', 'dashboard', 'syslogd'].includes(id);
      return {
        id,
        state: failed ? 'Failed' : 'Running',
        healthy: !failed && !unknown,
        unknown: unknown && !failed,
        lastMessage: lastMessageOf(failed, unknown),
        events,
        lastChange: failed ? this.ctx.startedAt - 90_000 : at + 500,
      };
    });
  }

  /** The etcd member id of this node (control plane only). */
  etcdMemberId(): bigint {
    const hi = Math.floor(
      this.ctx.unit(`etcd-hi-${this.hostname}`) * 0x7fffffff,
    );
    const lo = Math.floor(
      this.ctx.unit(`etcd-lo-${this.hostname}`) * 0xffffffff,
    );
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  etcdStatus(leader: bigint) {
    const t = this.sinceStart();
    const up = this.uptime();
    // The DB grows with writes and drops back at each auto-compaction.
    const dbSize = 28 * 1024 * 1024 + Math.floor((t % 3600) * 2200);
    const raftIndex = BigInt(1_480_000 + Math.floor(up * 1.7));
    return {
      protocol_version: '3.5.21',
      db_size: dbSize,
      db_size_in_use: Math.floor(dbSize * 0.62),
      leader,
      raft_index: raftIndex,
      raft_term: BigInt(7),
      raft_applied_index: raftIndex,
      errors: [] as string[],
      is_learner: false,
      member_id: this.etcdMemberId(),
      storage_version: this.minor >= 11 ? '3.5.0' : '',
    };
  }

  /** The MAC as Talos prints it (lower case). */
  get mac(): string {
    return this.guest.mac.toLowerCase();
  }

  get osImage(): string {
    return `Talos (${this.talosVersion})`;
  }
}

function lastMessageOf(failed: boolean, unknown: boolean) {
  if (failed) return 'health check failed: connection refused';
  return unknown ? '' : 'Health check successful';
}

function round2(n: number) {
  return Math.round(n * 100) / 100;
}
