import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * The conventions of a repository counted directly from its files, for the
 * corpus tests: deliberately simple loops over parsed YAML, written apart
 * from the generator's profile so the two can disagree.
 */
export type RepoFile = { path: string; text: string; docs: any[] };

export function repoFiles(dir: string): RepoFile[] {
  const out: RepoFile[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), {
      withFileTypes: true,
    })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.name === '.git') continue;
      if (e.isDirectory()) walk(child);
      else if (/\.ya?ml$/.test(e.name)) {
        const text = fs.readFileSync(path.join(dir, child), 'utf8');
        out.push({
          path: child,
          text,
          docs: parseAllDocuments(text)
            .map(d => d.toJS())
            .filter(Boolean),
        });
      }
    }
  };
  walk('');
  return out;
}

/** More than half of the samples. */
export const most = (samples: boolean[]) =>
  samples.filter(Boolean).length * 2 > samples.length;

/** The most common value (by JSON). */
export function mode<T>(values: T[]): T | undefined {
  const counts = new Map<string, number>();
  for (const v of values) {
    const k = JSON.stringify(v);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const [k, n] of counts)
    if (best === undefined || n > counts.get(best)!) best = k;
  return best === undefined ? undefined : JSON.parse(best);
}

/** A value with the sample's own name replaced, to compare across apps. */
export function generic(value: unknown, name: string): unknown {
  return JSON.parse(
    JSON.stringify(value ?? null)
      .split(`"${name}"`)
      .join('"<app>"'),
  );
}

/**
 * Pairs of entries whose order the samples agree on by majority, checked
 * against one list: every pair the majority orders one way is in that
 * order. Returns the pairs that are not.
 */
export function misordered(samples: string[][], list: string[]): string[] {
  const before = (a: string, b: string) =>
    samples.filter(
      s => s.includes(a) && s.includes(b) && s.indexOf(a) < s.indexOf(b),
    ).length;
  const wrong: string[] = [];
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      if (before(list[j], list[i]) > before(list[i], list[j]))
        wrong.push(`${list[j]} before ${list[i]}`);
    }
  }
  return wrong;
}

/** Whether every line of `before` is still in `after`, in order: only additions. */
export function onlyAdditions(
  before: string,
  after: string,
): { ok: boolean; added: string[] } {
  const a = after.split('\n');
  const added: string[] = [];
  let j = 0;
  for (const line of before.split('\n')) {
    while (j < a.length && a[j] !== line) added.push(a[j++]);
    if (j === a.length) return { ok: false, added };
    j++;
  }
  added.push(...a.slice(j));
  return { ok: true, added: added.filter(l => l.trim() !== '') };
}

/** Differences collected with their names, so one assertion reports them all. */
export class Mismatches {
  readonly list: string[] = [];

  eq(what: string, actual: unknown, expected: unknown) {
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      this.list.push(
        `${what}: ${JSON.stringify(
          actual,
        )}, the repository's majority is ${JSON.stringify(expected)}`,
      );
    }
  }
}
