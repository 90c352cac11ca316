import fs from 'node:fs';
import { startAdmin } from './admin/adminService';
import { FaultController, FaultRule } from './faults/FaultController';
import { CertificateAuthority } from './pki/certificateAuthority';
import { seededRandom } from './random';
import { loadScenario } from './scenario/loadScenario';
import { Scenario } from './scenario/schema';
import { serviceFactories } from './services';
import './serviceRegistry';
import { createContext, SimContext, StartedService } from './SimContext';
import { StateDir } from './state/StateDir';

export type HomelabSimOptions = {
  stateDir: string;
  scenarioFile?: string;
  scenario?: Scenario;
  /** Port per service; 0 = any free port (tests). Missing = the default. */
  ports?: Record<string, number>;
  /** Only these services (default: all). */
  only?: string[];
  faults?: FaultRule[];
  /**
   * The sim's clock (default `Date.now`): what every timeline (pod starts,
   * GitOps reconciles) is measured against. A test can run it ahead of the
   * real one instead of sleeping.
   */
  now?: () => number;
  adminPort?: number;
  /**
   * The portal's own catalog locations. Backstage replaces a config array
   * rather than merging it, so when a service adds catalog locations (the
   * forge does) the demo config must carry the portal's ones too.
   */
  catalogLocations?: { type: string; target: string }[];
};

/**
 * Against the demo homelab, and only there, the local guest sign-in is a
 * home admin: nothing it powers off is real. Without the demo the catalog
 * makes the guest a family member (catalog/org/users.yaml).
 */
const DEMO_SIGN_IN = {
  permission: {
    homelab: {
      adminGroups: ['group:default/home-admins', 'user:default/guest'],
    },
  },
};

/**
 * The demo homelab in one process: every simulated service from one scenario,
 * one CA, one fault controller. Used by the CLI (`yarn workspace homelab-sim
 * start`) and started in-process by integration tests.
 */
export class HomelabSim {
  private constructor(
    readonly ctx: SimContext,
    readonly services: StartedService[],
  ) {}

  static async start(options: HomelabSimOptions): Promise<HomelabSim> {
    const scenario = options.scenario ?? loadScenario(options.scenarioFile);
    const state = new StateDir(options.stateDir);
    const ca = await CertificateAuthority.loadOrCreate(state.path('ca'));
    const faults = new FaultController(seededRandom(scenario.seed + 1));
    for (const rule of options.faults ?? []) faults.add(rule);
    const ctx = createContext({
      scenario,
      state,
      ca,
      faults,
      now: options.now,
    });
    const services: StartedService[] = [];
    const sim = new HomelabSim(ctx, services);
    try {
      for (const [name, { port, start }] of Object.entries(serviceFactories)) {
        if (options.only && !options.only.includes(name)) continue;
        const factory = await start();
        services.push(await factory(ctx, options.ports?.[name] ?? port));
      }
      services.push(
        await startAdmin(
          ctx,
          options.adminPort ?? options.ports?.admin ?? 17000,
          () => services,
        ),
      );
    } catch (error) {
      await sim.close();
      throw error;
    }
    const portalConfig = mergeConfig([
      ...services.map(s => s.portalConfig ?? {}),
      DEMO_SIGN_IN,
    ]);
    const catalog = portalConfig.catalog as
      | { locations?: unknown[] }
      | undefined;
    if (catalog?.locations && options.catalogLocations) {
      catalog.locations = [...options.catalogLocations, ...catalog.locations];
    }
    state.writeFile(
      'app-config.demo.yaml',
      `# Written by homelab-sim at start: points the portal at this demo homelab.\n${JSON.stringify(
        portalConfig,
        null,
        2,
      )}\n`,
    );
    state.writeFile(
      'sim.json',
      `${JSON.stringify(
        {
          pid: process.pid,
          startedAt: new Date(ctx.startedAt).toISOString(),
          caFile: state.path('ca/ca.pem'),
          portalConfig: state.path('app-config.demo.yaml'),
          services: Object.fromEntries(services.map(s => [s.name, s.url])),
        },
        null,
        2,
      )}\n`,
    );
    return sim;
  }

  url(service: string): string {
    const found = this.services.find(s => s.name === service);
    if (!found) throw new Error(`the sim runs no "${service}" service`);
    return found.url;
  }

  get caPem(): string {
    return fs.readFileSync(this.ctx.state.path('ca/ca.pem'), 'utf8');
  }

  async close() {
    await Promise.all(this.services.map(s => s.close().catch(() => undefined)));
  }
}

/** Deep merge of config fragments; arrays concatenate (two services may add catalog locations). */
export function mergeConfig(
  fragments: Record<string, unknown>[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const merge = (
    target: Record<string, unknown>,
    source: Record<string, unknown>,
  ) => {
    for (const [key, value] of Object.entries(source)) {
      const existing = target[key];
      if (Array.isArray(existing) && Array.isArray(value)) {
        target[key] = [...existing, ...value];
      } else if (isObject(existing) && isObject(value)) {
        merge(existing, value);
      } else {
        target[key] = isObject(value) ? merge({}, value) : value;
      }
    }
    return target;
  };
  for (const f of fragments) merge(out, f);
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
