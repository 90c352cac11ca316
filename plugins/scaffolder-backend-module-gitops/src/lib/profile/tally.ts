/**
 * What the repository does, counted: a value, how many of the compared
 * things have it, and out of how many, so every choice can be explained in
 * the pull request ("follows 31 of 38 app-template releases").
 */
export type Convention<T> = {
  value: T;
  count: number;
  total: number;
  /** what was counted, plural: "app-template releases", "Deployments" */
  of: string;
};

/** "follows 31 of 38 app-template releases" */
export function explain(c: { count: number; total: number; of: string }) {
  return `follows ${c.count} of ${c.total} ${c.of}`;
}

/** Counts values by their JSON form. */
export class Tally<T> {
  private readonly counts = new Map<string, { value: T; count: number }>();
  private seen = 0;

  constructor(values: Iterable<T | undefined> = []) {
    for (const v of values) this.add(v);
  }

  /** Counts one sample; undefined counts as a sample without the value. */
  add(value: T | undefined) {
    this.seen++;
    if (value === undefined) return;
    const key = JSON.stringify(value);
    const entry = this.counts.get(key) ?? { value, count: 0 };
    entry.count++;
    this.counts.set(key, entry);
  }

  get total() {
    return this.seen;
  }

  /** How many samples had a value at all. */
  get present() {
    let n = 0;
    for (const e of this.counts.values()) n += e.count;
    return n;
  }

  count(value: T): number {
    return this.counts.get(JSON.stringify(value))?.count ?? 0;
  }

  /**
   * The most common value (ties go to `prefer`'s larger, then to the first
   * seen), whatever its share.
   */
  mostCommon(
    of: string,
    prefer: (a: T, b: T) => number = () => 0,
  ): Convention<T> | undefined {
    let best: { value: T; count: number } | undefined;
    for (const e of this.counts.values()) {
      if (
        !best ||
        e.count > best.count ||
        (e.count === best.count && prefer(e.value, best.value) > 0)
      ) {
        best = e;
      }
    }
    return best && { ...best, total: this.seen, of };
  }

  /** The most common value when more than half of all samples have it. */
  majority(of: string): Convention<T> | undefined {
    const best = this.mostCommon(of);
    return best && best.count * 2 > this.seen ? best : undefined;
  }
}

/**
 * Whether most samples have something (a key, a comment, a label), and how
 * many agree with that: "follows 8 of 8" whether the 8 have it or not.
 */
export function presence(samples: boolean[], of: string): Convention<boolean> {
  const have = samples.filter(Boolean).length;
  const value = have * 2 > samples.length;
  return {
    value,
    count: value ? have : samples.length - have,
    total: samples.length,
    of,
  };
}
