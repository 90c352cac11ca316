import { EventEmitter } from 'node:events';
import { FaultController } from './faults/FaultController';
import { CertificateAuthority } from './pki/certificateAuthority';
import { hashUnit, seededRandom } from './random';
import { Scenario } from './scenario/schema';
import { StateDir } from './state/StateDir';

/** What every simulated service gets: the household, the CA, faults, time. */
export type SimContext = {
  scenario: Scenario;
  state: StateDir;
  ca: CertificateAuthority;
  faults: FaultController;
  /** When this sim process started; uptimes and series count from here. */
  startedAt: number;
  now: () => number;
  random: () => number;
  /** Stable pseudo-random value in [0,1) for a key (same seed, same value). */
  unit: (key: string) => number;
  /**
   * What one service tells the others, as webhooks would: the forge emits
   * `git-push` ({@link GitPushEvent}) when a branch moves through a merge.
   */
  events: EventEmitter;
};

/** A branch of a forge repository moved to `sha`. */
export type GitPushEvent = {
  repo: string;
  branch: string;
  sha: string;
  /** Receivers hand back their work, so the sender can wait for it (seeding at start). */
  acknowledge?: (work: Promise<unknown>) => void;
};

export function createContext(options: {
  scenario: Scenario;
  state: StateDir;
  ca: CertificateAuthority;
  faults?: FaultController;
  now?: () => number;
}): SimContext {
  const now = options.now ?? Date.now;
  return {
    scenario: options.scenario,
    state: options.state,
    ca: options.ca,
    faults:
      options.faults ??
      new FaultController(seededRandom(options.scenario.seed + 1)),
    startedAt: now(),
    now,
    random: seededRandom(options.scenario.seed),
    unit: key => hashUnit(options.scenario.seed, key),
    events: new EventEmitter(),
  };
}

/** A started simulated service. */
export type StartedService = {
  name: string;
  url: string;
  /** Human-readable lines for the start banner and the admin API (`GET /endpoints`). */
  describe: string[];
  /**
   * The part of the portal's app-config that points at this service (merged
   * into `<state>/app-config.demo.yaml`). Secrets go in as `$file` references
   * to the state folder, never inline.
   */
  portalConfig?: Record<string, unknown>;
  close(): Promise<void>;
};

export type ServiceFactory = (
  ctx: SimContext,
  port: number,
) => Promise<StartedService>;
