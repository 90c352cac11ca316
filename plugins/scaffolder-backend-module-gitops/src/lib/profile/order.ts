/**
 * Learns the order the repository writes things in, from pairs: for keys
 * of a map (or entries of a list) seen together, how often one comes before
 * the other. Orders nothing it has no evidence for: those keep the order
 * the generator gave them.
 */
export class OrderLearner {
  private readonly pairs = new Map<string, Map<string, number>>();

  /** One map's keys (or one list's entries) in the order a file has them. */
  observe(context: string, items: string[]) {
    let counts = this.pairs.get(context);
    if (!counts) {
      counts = new Map();
      this.pairs.set(context, counts);
    }
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        const key = `${items[i]}\u0000${items[j]}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
  }

  /** How often `a` came before `b`. */
  before(context: string, a: string, b: string): number {
    return this.pairs.get(context)?.get(`${a}\u0000${b}`) ?? 0;
  }

  /** Whether anything was seen in this context. */
  knows(context: string): boolean {
    return this.pairs.has(context);
  }

  /**
   * The items in the repository's order: each goes right before the first
   * item the repository writes after it, never before one it writes ahead
   * of it; with no evidence, at the end (so the given order stays).
   */
  sort(context: string, items: string[]): string[] {
    const out: string[] = [];
    items.forEach((item, index) => {
      let lastBefore = -1;
      let firstAfter = out.length;
      out.forEach((placed, i) => {
        const placedFirst = this.before(context, placed, item);
        const itemFirst = this.before(context, item, placed);
        if (placedFirst > itemFirst) lastBefore = i;
        else if (itemFirst > placedFirst && i < firstAfter) firstAfter = i;
      });
      let at = firstAfter > lastBefore ? firstAfter : lastBefore + 1;
      if (lastBefore < 0 && firstAfter === out.length && index > 0) {
        // Nothing known about it: keep it next to the item it followed.
        at = out.indexOf(items[index - 1]) + 1;
      }
      out.splice(at, 0, item);
    });
    return out;
  }
}

/** Whether the entries are in alphabetical order. */
export function isSorted(items: string[]): boolean {
  return items.every((v, i) => i === 0 || items[i - 1].localeCompare(v) <= 0);
}
