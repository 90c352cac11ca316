import { toError } from '@backstage/errors';
import { ProxmoxApiError } from '../api/errors';

/**
 * A value read from Proxmox with the time it was read. When the latest
 * attempt failed but an older value exists, `error` says why and `stale` is
 * true: callers show the old data with its age and the error.
 *
 * @public
 */
export type Snapshot<T> = {
  value: T;
  /** Epoch ms the value was read. */
  fetchedAt: number;
  stale: boolean;
  error?: ProxmoxApiError;
};

type Entry<T> = {
  value?: T;
  fetchedAt?: number;
  error?: ProxmoxApiError;
  errorAt?: number;
  inflight?: Promise<T>;
  /** Invalidated: the value is kept for fallback but never served as fresh. */
  invalid?: boolean;
};

/** @public */
export type SnapshotCacheOptions = {
  /** Most entries kept (least recently used go first). Default 5000. */
  maxEntries?: number;
  now?: () => number;
};

/** @public */
export type CacheGetOptions = {
  /**
   * Ignore a cached value and read again (joining a read already under way).
   * A failure then throws instead of falling back to the old value.
   */
  fresh?: boolean;
};

/**
 * Coalescing TTL cache for upstream reads: callers asking for the same key
 * while a read is under way share that read, a value younger than its TTL is
 * served without a call, and a value up to three TTLs old is served at once
 * while one background read refreshes it. So the number of upstream calls
 * depends on the TTLs, not on how many people look.
 *
 * @public
 */
export class SnapshotCache {
  private readonly entries = new Map<string, Entry<unknown>>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: SnapshotCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 5000;
    this.now = options.now ?? Date.now;
  }

  async get<T>(
    key: string,
    ttlMs: number,
    load: () => Promise<T>,
    options: CacheGetOptions = {},
  ): Promise<Snapshot<T>> {
    const entry = this.touch<T>(key);
    const now = this.now();
    const age =
      entry.fetchedAt === undefined || entry.invalid
        ? Infinity
        : now - entry.fetchedAt;

    if (options.fresh) {
      const value = await this.start(key, entry, load);
      return { value, fetchedAt: entry.fetchedAt!, stale: false };
    }
    if (age < ttlMs) {
      return this.snapshot(entry);
    }
    // After a failure, do not ask again before the TTL runs out: a Proxmox
    // that is down is not asked once per viewer.
    const failedRecently =
      entry.errorAt !== undefined &&
      now - entry.errorAt < Math.min(ttlMs, 5000) &&
      (entry.fetchedAt === undefined || entry.errorAt > entry.fetchedAt);
    if (failedRecently && !entry.inflight) {
      const lastError = entry.error;
      if (entry.fetchedAt === undefined && lastError) throw lastError;
      return this.snapshot(entry);
    }
    if (age < ttlMs * 3) {
      this.start(key, entry, load).catch(() => undefined);
      return this.snapshot(entry);
    }
    try {
      await this.start(key, entry, load);
    } catch (error) {
      if (entry.fetchedAt === undefined) throw error;
    }
    return this.snapshot(entry);
  }

  /** Forgets a key (after a change, e.g. a power action). */
  invalidate(prefix: string) {
    for (const [key, entry] of this.entries) {
      if (key.startsWith(prefix)) entry.invalid = true;
    }
  }

  get size() {
    return this.entries.size;
  }

  private snapshot<T>(entry: Entry<T>): Snapshot<T> {
    const failedSince =
      entry.errorAt !== undefined &&
      entry.errorAt > (entry.fetchedAt ?? -Infinity);
    return {
      value: entry.value as T,
      fetchedAt: entry.fetchedAt!,
      stale: failedSince,
      error: failedSince ? entry.error : undefined,
    };
  }

  private start<T>(
    key: string,
    entry: Entry<T>,
    load: () => Promise<T>,
  ): Promise<T> {
    if (entry.inflight) return entry.inflight;
    const run = (async () => {
      try {
        const value = await load();
        entry.value = value;
        entry.fetchedAt = this.now();
        entry.invalid = false;
        return value;
      } catch (error) {
        entry.error =
          error instanceof ProxmoxApiError
            ? error
            : new ProxmoxApiError(
                'upstream',
                toError(error).message,
                {
                  instance: key.split(':')[0],
                },
              );
        entry.errorAt = this.now();
        throw entry.error;
      } finally {
        entry.inflight = undefined;
      }
    })();
    entry.inflight = run;
    return run;
  }

  private touch<T>(key: string): Entry<T> {
    let entry = this.entries.get(key) as Entry<T> | undefined;
    if (entry) {
      this.entries.delete(key);
    } else {
      entry = {};
    }
    this.entries.set(key, entry as Entry<unknown>);
    if (this.entries.size > this.maxEntries) {
      for (const [k, e] of this.entries) {
        if (this.entries.size <= this.maxEntries) break;
        if (!e.inflight) this.entries.delete(k);
      }
    }
    return entry;
  }
}
