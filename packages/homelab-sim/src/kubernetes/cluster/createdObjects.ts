import type { KubeObject } from './ClusterModel';

type Entry = {
  key: string;
  object: KubeObject;
  createdRv: number;
  deletedRv?: number;
};

/**
 * Objects written through the API (`kubectl create`, `kubectl delete`), on
 * top of the ones the scenario derives. Deleted objects stay as tombstones
 * for a while, so a watch started from an older resourceVersion still sees
 * the deletion.
 */
export class CreatedObjects {
  private readonly entries: Entry[] = [];
  private lastRv = 0;
  private readonly listeners = new Set<() => void>();

  /** `base` is the list resourceVersion of the current second (…70). */
  nextVersion(base: number) {
    this.lastRv = Math.max(this.lastRv + 1, base + 1);
    return this.lastRv;
  }

  get latestVersion() {
    return this.lastRv;
  }

  find(key: string, namespace: string | undefined, name: string) {
    return this.entries.find(
      e =>
        e.deletedRv === undefined &&
        e.key === key &&
        e.object.metadata.name === name &&
        e.object.metadata.namespace === namespace,
    );
  }

  add(key: string, object: KubeObject, rv: number) {
    this.entries.push({ key, object, createdRv: rv });
    this.changed();
  }

  remove(entry: Entry, rv: number) {
    entry.deletedRv = rv;
    // Tombstones older than the watch window are of no use.
    const horizon = rv - 600 * 100;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const d = this.entries[i].deletedRv;
      if (d !== undefined && d < horizon) this.entries.splice(i, 1);
    }
    this.changed();
  }

  /** The objects that existed at `rv` (all live ones by default), by resource key. */
  at(rv = Infinity): Map<string, KubeObject[]> {
    const out = new Map<string, KubeObject[]>();
    for (const e of this.entries) {
      if (e.createdRv > rv) continue;
      if (e.deletedRv !== undefined && e.deletedRv <= rv) continue;
      out.set(e.key, [...(out.get(e.key) ?? []), e.object]);
    }
    return out;
  }

  /** Tells watches to look again at once rather than at their next tick. */
  onChange(listener: () => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed() {
    for (const l of this.listeners) l();
  }
}
