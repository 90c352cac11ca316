import { normalize, withName } from './normalize';
import { explain, Tally } from './tally';

/** One thing compared across apps: its value and its app's name. */
export type Sample = { value: Record<string, any> | undefined; name?: string };

/** A setting most apps share, and why it is one. */
export type Setting = { key: string; value: unknown; note: string };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/** Leaf paths of an object (arrays are leaves). */
function leaves(
  value: Record<string, unknown>,
  prefix: string[] = [],
): Array<[string[], unknown]> {
  return Object.entries(value).flatMap(([k, v]) =>
    isPlainObject(v) && Object.keys(v).length > 0
      ? leaves(v, [...prefix, k])
      : [[[...prefix, k], v] as [string[], unknown]],
  );
}

function setPath(target: Record<string, any>, path: string[], value: unknown) {
  let node = target;
  for (const p of path.slice(0, -1)) node = node[p] ??= {};
  node[path[path.length - 1]] = value;
}

/**
 * The settings most samples share. A key counts when more than half of the
 * samples have it: its value is the one more than half agree on; when they
 * disagree, an object is assembled leaf by leaf (each leaf most of them
 * set, at its most common value: a `resources:` block with the usual
 * requests and limits) and a scalar takes its most common value. Each
 * sample's own name counts as equal (`existingClaim: <app>`); values keep
 * the placeholder until `settingsFor` puts the new app's name in.
 */
export function commonSettings(
  samples: Sample[],
  of: string,
  exclude: string[] = [],
): Setting[] {
  const present = samples.filter(s => isPlainObject(s.value));
  const total = samples.length;
  if (total < 2) return [];
  const keys = [...new Set(present.flatMap(s => Object.keys(s.value!)))];
  const out: Setting[] = [];
  for (const key of keys) {
    if (exclude.includes(key)) continue;
    const having = present.filter(s => key in s.value!);
    if (having.length * 2 <= total) continue;
    const values = having.map(s => normalize(s.value![key], s.name));
    const exact = new Tally(values).mostCommon(of)!;
    if (exact.count * 2 > total) {
      out.push({
        key,
        value: exact.value,
        note: `${key}: ${explain({ ...exact, total })}`,
      });
      continue;
    }
    if (values.every(isPlainObject)) {
      const assembled: Record<string, any> = {};
      const leafCounts = new Map<string, Tally<unknown>>();
      for (const v of values) {
        for (const [p, leaf] of leaves(v as Record<string, unknown>)) {
          const k = JSON.stringify(p);
          const t = leafCounts.get(k) ?? new Tally<unknown>();
          t.add(leaf);
          leafCounts.set(k, t);
        }
      }
      for (const [k, t] of leafCounts) {
        if (t.total * 2 <= having.length) continue;
        setPath(assembled, JSON.parse(k), t.mostCommon(of)!.value);
      }
      if (Object.keys(assembled).length === 0) continue;
      out.push({
        key,
        value: assembled,
        note: `${key}: set by ${having.length} of ${total} ${of}; the values most of them use`,
      });
      continue;
    }
    out.push({
      key,
      value: exact.value,
      note: `${key}: ${having.length} of ${total} ${of} set it, most (${exact.count}) to this value`,
    });
  }
  return out;
}

/** The settings as an object for the new app (key order as found). */
export function settingsFor(
  settings: Setting[],
  name: string,
): Record<string, unknown> {
  return Object.fromEntries(
    settings.map(s => [s.key, withName(s.value, name)]),
  );
}
