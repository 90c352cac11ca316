/**
 * Faults on demand for every simulated endpoint, so tests and benchmarks can
 * make the sim behave like a real server having a bad day.
 *
 * A rule matches a service (`kubernetes`, `forge`, `proxmox`, `talos`, ... or
 * `*`) and optionally a method and a path regular expression. The first
 * matching rule applies.
 */
export type FaultKind =
  /** Extra delay before the real answer. */
  | 'latency'
  /** Answer with `status` (default 500) instead of the real answer. */
  | 'error'
  /** Never answer; the client has to time out. */
  | 'hang'
  /** Destroy the connection without an HTTP answer (like a refused or reset connection). */
  | 'reset'
  /** Answer 200 with a body that is not valid JSON. */
  | 'malformed'
  /** Send the real answer's headers and only the first half of its body. */
  | 'truncate'
  /** The service stops accepting connections until the rule is removed. */
  | 'down';

export type FaultRule = {
  id?: string;
  service: string;
  kind: FaultKind;
  method?: string;
  /** Regular expression tested against the request path (without query). */
  path?: string;
  /** Latency in milliseconds (kind latency; also added before other kinds). */
  ms?: number;
  /** HTTP status for kind error. */
  status?: number;
  /** Probability 0..1 that the rule fires on a matching request (default 1). */
  rate?: number;
};

type Stored = FaultRule & { id: string; pathRe?: RegExp };

const KINDS: FaultKind[] = [
  'latency',
  'error',
  'hang',
  'reset',
  'malformed',
  'truncate',
  'down',
];

export class FaultController {
  private rules: Stored[] = [];
  private nextId = 1;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly random: () => number = Math.random) {}

  /** Validates a rule; every refusal names the field. */
  static validate(input: unknown): FaultRule {
    if (!input || typeof input !== 'object')
      throw new Error('fault rule must be an object');
    const r = input as Record<string, unknown>;
    if (typeof r.service !== 'string' || !r.service)
      throw new Error('fault rule: "service" is required');
    if (!KINDS.includes(r.kind as FaultKind)) {
      throw new Error(`fault rule: "kind" must be one of ${KINDS.join(', ')}`);
    }
    if (r.path !== undefined) {
      if (typeof r.path !== 'string')
        throw new Error('fault rule: "path" must be a string');
      try {
        RegExp(r.path);
      } catch {
        throw new Error(
          `fault rule: "path" is not a valid regular expression: ${r.path}`,
        );
      }
    }
    for (const key of ['ms', 'status', 'rate'] as const) {
      if (
        r[key] !== undefined &&
        (typeof r[key] !== 'number' || !Number.isFinite(r[key] as number))
      ) {
        throw new Error(`fault rule: "${key}" must be a number`);
      }
    }
    if (
      r.rate !== undefined &&
      ((r.rate as number) < 0 || (r.rate as number) > 1)
    ) {
      throw new Error('fault rule: "rate" must be between 0 and 1');
    }
    if (
      r.status !== undefined &&
      ((r.status as number) < 100 || (r.status as number) > 599)
    ) {
      throw new Error('fault rule: "status" must be an HTTP status 100-599');
    }
    return {
      service: r.service,
      kind: r.kind as FaultKind,
      method: typeof r.method === 'string' ? r.method.toUpperCase() : undefined,
      path: r.path as string | undefined,
      ms: r.ms as number | undefined,
      status: r.status as number | undefined,
      rate: r.rate as number | undefined,
    };
  }

  /**
   * Parses the CLI form `service:kind[:key=value,...]`, for example
   * `kubernetes:latency:ms=50` or `proxmox:error:status=503,path=^/api2/json/cluster`.
   */
  static parseFlag(flag: string): FaultRule {
    const first = flag.indexOf(':');
    if (first < 0)
      throw new Error(
        `fault flag "${flag}": expected service:kind[:key=value,...]`,
      );
    const second = flag.indexOf(':', first + 1);
    const params: Record<string, unknown> = {
      service: flag.slice(0, first),
      kind: second < 0 ? flag.slice(first + 1) : flag.slice(first + 1, second),
    };
    const rest = second < 0 ? '' : flag.slice(second + 1);
    for (const part of rest ? rest.split(',') : []) {
      const eq = part.indexOf('=');
      if (eq < 0)
        throw new Error(
          `fault flag "${flag}": expected key=value, got "${part}"`,
        );
      const key = part.slice(0, eq);
      const value = part.slice(eq + 1);
      params[key] = ['ms', 'status', 'rate'].includes(key)
        ? Number(value)
        : value;
    }
    return FaultController.validate(params);
  }

  add(rule: FaultRule): Stored {
    const valid = FaultController.validate(rule);
    const stored: Stored = {
      ...valid,
      id: rule.id ?? String(this.nextId++),
      pathRe: valid.path ? new RegExp(valid.path) : undefined,
    };
    this.rules.push(stored);
    this.changed();
    return stored;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter(r => r.id !== id);
    this.changed();
    return this.rules.length !== before;
  }

  clear(service?: string) {
    this.rules = service ? this.rules.filter(r => r.service !== service) : [];
    this.changed();
  }

  list(): FaultRule[] {
    return this.rules.map(({ pathRe: _re, ...rule }) => rule);
  }

  /** Whether a whole service is currently down. */
  isDown(service: string): boolean {
    return this.rules.some(
      r =>
        r.kind === 'down' &&
        (r.service === service || r.service === '*') &&
        !r.path,
    );
  }

  /** The rule that applies to this request, if any (rate already rolled). */
  match(service: string, method: string, path: string): Stored | undefined {
    for (const rule of this.rules) {
      if (rule.service !== service && rule.service !== '*') continue;
      if (rule.method && rule.method !== method.toUpperCase()) continue;
      if (rule.pathRe && !rule.pathRe.test(path)) continue;
      if (rule.rate !== undefined && this.random() >= rule.rate) continue;
      return rule;
    }
    return undefined;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed() {
    for (const l of this.listeners) l();
  }
}
