import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { Agent } from 'undici';
import { FaultController, FaultRule } from '../faults/FaultController';
import { HomelabSim } from '../HomelabSim';
import { loadScenario } from '../scenario/loadScenario';
import { Scenario } from '../scenario/schema';

/** Services whose URL port is the one port they listen on. */
const keepable = ['proxmox', 'kubernetes', 'forge'];

/** The simulated services a test can start. */
export type SimServiceName = 'proxmox' | 'talos' | 'kubernetes' | 'forge';

/** What a test needs of each started service: where it is and how to sign in. */
export type SimServiceAccess = {
  proxmox: {
    url: string;
    /**
     * The secret of a scenario API token, by its file name: `catalog` reads
     * `<state>/proxmox/catalog-token-secret`.
     */
    tokenSecret(file: string): string;
  };
  talos: {
    /** The control plane's apid (`https://localhost:<port>`). */
    url: string;
    /** The os:reader talosconfig the portal uses. */
    talosconfigFile: string;
    /** The os:admin talosconfig. */
    adminTalosconfigFile: string;
  };
  kubernetes: {
    url: string;
    /** The bearer token of the `portal` account (what the portal is given). */
    token: string;
    /** The bearer token of any scenario account (`admin`, `family`, ...). */
    tokenOf(account: string): string;
  };
  forge: {
    url: string;
    /** `host:port` of the forge, as integrations name it. */
    host: string;
    /** The write token (pull requests, pushes). */
    token: string;
    /** The read-only token. */
    readToken: string;
  };
};

export type StartSimOptions<S extends SimServiceName> = {
  /** The services to start (the admin API always runs, on a free port). */
  only: S[];
  /** The household; default: the bundled scenario, freshly loaded. */
  scenario?: Scenario;
  faults?: FaultRule[];
  /**
   * The sim's clock; default `Date.now`. A clock the test runs ahead
   * (`() => Date.now() + skew`) lets it reach a later moment of a timeline
   * (a reconcile, a pod start) without sleeping until then.
   */
  now?: () => number;
  /** Ports by service (and `admin`); default 0, a free port each. */
  ports?: Partial<Record<S | 'admin', number>>;
  /**
   * A state folder to use (for example a second start over the same one).
   * Default: a new temporary folder, removed by `close()`. A folder given
   * here is the caller's and stays.
   */
  stateDir?: string;
  /** Name prefix of the temporary state folder. */
  tmpPrefix?: string;
};

export type SimUnderTest<S extends SimServiceName> = {
  /** The running sim (a new one after `restart()`). */
  sim: HomelabSim;
  stateDir: string;
  faults: FaultController;
  /** The CA that issued every server certificate of the sim, as PEM. */
  caPem: string;
  /** The same CA as a file (`<state>/ca/ca.pem`). */
  caFile: string;
  /** An undici dispatcher that trusts the sim's CA (and the system roots). */
  dispatcher: Agent;
  /** A path inside the state folder. */
  path(...parts: string[]): string;
  /** The trimmed content of a file in the state folder (a token, a secret). */
  secret(relativePath: string): string;
  /**
   * Stops the sim and starts it again over the same state folder, with
   * another household if given. With `keepPorts` the Proxmox, Kubernetes and
   * forge services come back on the ports they had (Talos and the admin API
   * on the ports of the first start); else every URL may change.
   */
  restart(options?: {
    scenario?: Scenario;
    keepPorts?: boolean;
  }): Promise<void>;
  /** Stops the sim, the dispatcher, and removes a temporary state folder. */
  close(): Promise<void>;
} & { [K in S]: SimServiceAccess[K] };

/**
 * The demo homelab for one test file: the chosen services in-process on free
 * ports over a fresh state folder, with what a client needs to reach them
 * (URLs, tokens, talosconfigs, the CA and a dispatcher trusting it).
 */
export async function startSim<S extends SimServiceName>(
  options: StartSimOptions<S>,
): Promise<SimUnderTest<S>> {
  const ownDir = options.stateDir === undefined;
  const stateDir =
    options.stateDir ??
    fs.mkdtempSync(path.join(os.tmpdir(), options.tmpPrefix ?? 'homelab-sim-'));
  const inState = (...parts: string[]) => path.join(stateDir, ...parts);
  const secret = (rel: string) => fs.readFileSync(inState(rel), 'utf8').trim();

  let scenario = options.scenario ?? loadScenario();
  const freePorts: Record<string, number> = { admin: 0 };
  for (const name of options.only) freePorts[name] = 0;
  const start = (ports: Record<string, number>) =>
    HomelabSim.start({
      stateDir,
      scenario,
      faults: options.faults,
      now: options.now,
      ports,
      only: options.only,
    });

  let sim: HomelabSim;
  try {
    sim = await start({ ...freePorts, ...options.ports });
  } catch (error) {
    if (ownDir) fs.rmSync(stateDir, { recursive: true, force: true });
    throw error;
  }
  const caPem = sim.caPem;
  const dispatcher = new Agent({
    connect: { ca: [...tls.rootCertificates, caPem] },
  });

  const access = (): Partial<SimServiceAccess> => {
    const running = (name: SimServiceName) =>
      (options.only as SimServiceName[]).includes(name);
    const out: Partial<SimServiceAccess> = {};
    if (running('proxmox')) {
      out.proxmox = {
        url: sim.url('proxmox'),
        tokenSecret: file => secret(`proxmox/${file}-token-secret`),
      };
    }
    if (running('talos')) {
      out.talos = {
        url: sim.url('talos'),
        talosconfigFile: inState('talos/talosconfig'),
        adminTalosconfigFile: inState('talos/talosconfig-admin'),
      };
    }
    if (running('kubernetes')) {
      const accounts = scenario.kubernetes.accounts;
      const tokenOf = (account: string) => {
        const found = accounts[account];
        if (!found) throw new Error(`the scenario has no "${account}" account`);
        return secret(`kubernetes/${found.tokenFile}`);
      };
      out.kubernetes = {
        url: sim.url('kubernetes'),
        token: tokenOf('portal'),
        tokenOf,
      };
    }
    if (running('forge')) {
      const url = sim.url('forge');
      out.forge = {
        url,
        host: new URL(url).host,
        token: secret('forge/token'),
        readToken: secret('forge/read-token'),
      };
    }
    return out;
  };

  const handle = {
    sim,
    stateDir,
    faults: sim.ctx.faults,
    caPem,
    caFile: inState('ca/ca.pem'),
    dispatcher,
    path: inState,
    secret,
    ...access(),
    async restart(change: { scenario?: Scenario; keepPorts?: boolean } = {}) {
      const ports: Record<string, number> = { ...freePorts, ...options.ports };
      if (change.keepPorts) {
        for (const s of handle.sim.services) {
          if (keepable.includes(s.name))
            ports[s.name] = Number(new URL(s.url).port);
        }
      }
      await handle.sim.close();
      if (change.scenario) scenario = change.scenario;
      sim = await start(ports);
      Object.assign(handle, { sim, faults: sim.ctx.faults }, access());
    },
    async close() {
      await handle.sim.close();
      await dispatcher.destroy();
      if (ownDir) fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
  return handle as SimUnderTest<S>;
}
