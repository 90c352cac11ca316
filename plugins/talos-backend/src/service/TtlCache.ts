/**
 * A small time-to-live cache shared by every user of the portal: concurrent
 * readers of the same key wait for one upstream call, and an entry is read
 * again only after it expires. Failures are not cached, so the next reader
 * tries again.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();
  private readonly inFlight = new Map<string, Promise<V>>();

  /**
   * @param ttlFor how long one value lives (default `ttlMs`): a value that
   *   records a failure may be worth asking again sooner.
   */
  constructor(
    ttlMs: number,
    private readonly now: () => number = () => Date.now(),
    private readonly ttlFor: (value: V) => number = () => ttlMs,
  ) {}

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlFor(hit.value)) return hit.value;
    return this.refresh(key, load);
  }

  /** Loads now whatever the age (joining a load already running). */
  async refresh(key: string, load: () => Promise<V>): Promise<V> {
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const promise = load().then(
      value => {
        this.entries.set(key, { value, at: this.now() });
        this.inFlight.delete(key);
        return value;
      },
      error => {
        this.inFlight.delete(key);
        throw error;
      },
    );
    this.inFlight.set(key, promise);
    return promise;
  }

  /** The last value, however old (for showing something while a refresh runs). */
  peek(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  delete(key: string) {
    this.entries.delete(key);
  }
}
