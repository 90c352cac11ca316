import { Guest, Scenario } from '../../scenario/schema';
import { SimContext } from '../../SimContext';
import { PveError } from '../api/pveHttp';
import { hex } from './clock';
import { Metrics } from './metrics';

export type ProxmoxScenario = Scenario['proxmox'];
export type ProxmoxNodeDef = ProxmoxScenario['nodes'][number];
export type RunState = 'running' | 'stopped' | 'paused';
export type PowerAction = 'start' | 'stop' | 'shutdown' | 'reboot';

/** A change of a guest's run state at a moment (ms). */
type StatusEvent = { at: number; status: RunState; runningSince?: number };

export class GuestRuntime {
  readonly events: StatusEvent[];
  constructor(readonly def: Guest, bootAt: number) {
    this.events = [
      {
        at: -Infinity,
        status: def.template ? 'stopped' : def.status,
        runningSince:
          def.status === 'stopped' || def.template ? undefined : bootAt,
      },
    ];
  }
  /** The state at a moment. */
  at(t: number): StatusEvent {
    let found = this.events[0];
    for (const e of this.events) {
      if (e.at <= t) found = e;
      else break;
    }
    return found;
  }
  push(event: StatusEvent) {
    this.events.push(event);
    this.events.sort((a, b) => a.at - b.at);
  }
}

export type SimTask = {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  /** Epoch seconds. */
  starttime: number;
  type: string;
  id: string;
  user: string;
  /** Epoch ms the task ends. */
  endsAt: number;
  exitstatus: string;
  log: () => string[];
  /** Applied when the task ends. */
  effect?: () => void;
  settled?: boolean;
};

const taskTypes: Record<'qemu' | 'lxc', Record<PowerAction, string>> = {
  qemu: {
    start: 'qmstart',
    stop: 'qmstop',
    shutdown: 'qmshutdown',
    reboot: 'qmreboot',
  },
  lxc: {
    start: 'vzstart',
    stop: 'vzstop',
    shutdown: 'vzshutdown',
    reboot: 'vzreboot',
  },
};

/** How long each power task runs, ms: long enough to watch, short for tests. */
const durations: Record<PowerAction, number> = {
  start: 3000,
  stop: 1500,
  shutdown: 5000,
  reboot: 6000,
};

/**
 * The live state of the simulated Proxmox cluster: nodes, guests and their
 * run state over time, and the tasks power actions create. Time comes from
 * the sim's clock; tasks settle lazily when anything reads the model, so the
 * state a client sees only depends on when it asks.
 */
export class ProxmoxModel {
  readonly nodes: ProxmoxNodeDef[];
  readonly guests = new Map<number, GuestRuntime>();
  readonly nodeBoot = new Map<string, number>();
  readonly metrics: Metrics;
  readonly major: number;
  readonly version: { release: string; version: string; repoid: string };
  private readonly tasks: SimTask[] = [];

  constructor(readonly ctx: SimContext, readonly proxmox: ProxmoxScenario) {
    this.nodes = proxmox.nodes;
    this.metrics = new Metrics(key => ctx.unit(`proxmox:${key}`));
    const m = /^pve-manager\/(\d+)\.(\d+)\.(\d+)\/([0-9a-f]+)/.exec(
      proxmox.nodes[0].pveVersion,
    );
    this.major = m ? Number(m[1]) : 9;
    this.version = m
      ? {
          release: `${m[1]}.${m[2]}`,
          version: `${m[1]}.${m[2]}.${m[3]}`,
          repoid: m[4],
        }
      : { release: '9.1', version: '9.1.1', repoid: '42db4a6cf33dac83' };
    for (const n of this.nodes) {
      const days = 5 + Math.floor(ctx.unit(`proxmox:boot:${n.name}`) * 25);
      this.nodeBoot.set(
        n.name,
        ctx.startedAt -
          days * 86400_000 -
          Math.floor(ctx.unit(`proxmox:boots:${n.name}`) * 86400_000),
      );
    }
    const order = new Map<string, number>();
    for (const g of proxmox.guests) {
      const i = order.get(g.node) ?? 0;
      order.set(g.node, i + 1);
      const boot = this.nodeBoot.get(g.node)!;
      this.guests.set(
        g.vmid,
        new GuestRuntime(g, boot + 60_000 + Math.min(i, 50) * 25_000),
      );
    }
  }

  now() {
    return this.ctx.now();
  }

  node(name: string): ProxmoxNodeDef | undefined {
    return this.nodes.find(n => n.name === name);
  }

  /**
   * The node for a `/nodes/{node}/...` call: an unknown name fails the way
   * pveproxy's hostname lookup does; an offline node cannot be proxied to.
   */
  requireNode(name: string): ProxmoxNodeDef {
    const node = this.node(name);
    if (!node) {
      throw new PveError(
        500,
        `hostname lookup '${name}' failed - failed to get address info for: ${name}: Name or service not known`,
      );
    }
    if (!node.online) throw new PveError(595, 'No route to host');
    return node;
  }

  /** The guest as a node's config folder knows it (else the 500 PVE answers). */
  requireGuest(node: string, type: 'qemu' | 'lxc', vmid: number): GuestRuntime {
    const g = this.guests.get(vmid);
    if (!g || g.def.node !== node || g.def.type !== type) {
      const dir = type === 'qemu' ? 'qemu-server' : 'lxc';
      throw new PveError(
        500,
        `Configuration file 'nodes/${node}/${dir}/${vmid}.conf' does not exist`,
      );
    }
    return g;
  }

  guestsOn(node: string): GuestRuntime[] {
    return [...this.guests.values()].filter(g => g.def.node === node);
  }

  /** Finishes due tasks and applies their effects at their end time. */
  settle() {
    const now = this.now();
    for (const t of this.tasks) {
      if (!t.settled && t.endsAt <= now) {
        t.settled = true;
        t.effect?.();
      }
    }
  }

  /** Run state now (status/current is live). */
  stateNow(g: GuestRuntime) {
    this.settle();
    return g.at(this.now());
  }

  /**
   * Run state as /cluster/resources shows it: pvestatd broadcasts every 10 s,
   * so it lags a power action by up to 10 s.
   */
  stateBroadcast(g: GuestRuntime) {
    this.settle();
    return g.at(Math.floor(this.now() / 10_000) * 10_000);
  }

  dynamicTasks(): SimTask[] {
    this.settle();
    return this.tasks;
  }

  findDynamicTask(upid: string): SimTask | undefined {
    this.settle();
    return this.tasks.find(t => t.upid === upid);
  }

  makeUpid(node: string, type: string, id: string, user: string, atMs: number) {
    const boot = this.nodeBoot.get(node) ?? atMs - 86400_000;
    const pid = 0x100000 + Math.floor(this.ctx.random() * 0x2fffff);
    const pstart = Math.floor((atMs - boot) / 10);
    const starttime = Math.floor(atMs / 1000);
    return {
      upid: `UPID:${node}:${hex(pid)}:${hex(pstart)}:${hex(
        starttime,
      )}:${type}:${id}:${user}:`,
      pid,
      pstart,
      starttime,
    };
  }

  /**
   * A power action as qemu-server / pve-container handle it: some refusals are
   * synchronous (HTTP 500), others only show in the task's exit status.
   */
  power(
    node: string,
    type: 'qemu' | 'lxc',
    vmid: number,
    action: PowerAction,
    user: string,
  ): string {
    const g = this.requireGuest(node, type, vmid);
    const now = this.now();
    const state = this.stateNow(g);
    const running = state.status !== 'stopped';
    const label = type === 'qemu' ? 'VM' : 'CT';
    if (type === 'lxc') {
      if (action === 'start' && running)
        throw new PveError(500, `CT ${vmid} already running`);
      if (action !== 'start' && !running)
        throw new PveError(500, `CT ${vmid} not running`);
    } else if (action === 'reboot' && !running) {
      throw new PveError(500, `VM ${vmid} not running`);
    }

    const busy = this.tasks.some(
      t =>
        !t.settled &&
        t.id === String(vmid) &&
        t.node === node &&
        t.endsAt > now,
    );
    let exitstatus = 'OK';
    let effect: (() => void) | undefined;
    let ms = this.proxmox.powerTaskMs?.[action] ?? durations[action];
    const lockFile =
      type === 'qemu'
        ? `/var/lock/qemu-server/lock-${vmid}.conf`
        : `/run/lock/lxc/pve-config-${vmid}.lock`;
    if (busy) {
      exitstatus = `can't lock file '${lockFile}' - got timeout`;
      ms = 2000;
    } else if (g.def.template && action === 'start') {
      exitstatus = "you can't start a vm if it's a template";
      ms = 500;
    } else if (action === 'start' && running) {
      exitstatus = `${label} ${vmid} already running`;
      ms = 500;
    } else if (action === 'shutdown' && !running) {
      exitstatus = `${label} ${vmid} not running`;
      ms = 500;
    } else if (action === 'stop' && !running) {
      ms = 500; // nothing to do, still OK
    }
    const endsAt = now + ms;
    if (exitstatus === 'OK') {
      effect = () => {
        if (action === 'start' || action === 'reboot') {
          g.push({ at: endsAt, status: 'running', runningSince: endsAt });
        } else if (running) {
          g.push({ at: endsAt, status: 'stopped' });
        }
      };
    }
    const taskType = taskTypes[type][action];
    const ids = this.makeUpid(node, taskType, String(vmid), user, now);
    const lines = [
      ...(action === 'shutdown' ? [`shutting down ${label} ${vmid}`] : []),
      ...(action === 'reboot' ? [`rebooting ${label} ${vmid}`] : []),
      exitstatus === 'OK' ? 'TASK OK' : `TASK ERROR: ${exitstatus}`,
    ];
    this.tasks.push({
      ...ids,
      node,
      type: taskType,
      id: String(vmid),
      user,
      endsAt,
      exitstatus,
      log: () => lines,
      effect,
    });
    return ids.upid;
  }
}
