import { parseAllDocuments } from 'yaml';
import { RepoSnapshot } from '../repo/RepoSnapshot';
import { schemaComment } from './yamlFiles';

/** One parsed object of a repo file. */
export type RepoObject = {
  path: string;
  object: Record<string, any>;
  text: string;
};

/** Every object in the given files (multi-document aware; unparsable files are skipped). */
export async function readObjects(
  repo: RepoSnapshot,
  paths: string[],
): Promise<RepoObject[]> {
  const out: RepoObject[] = [];
  const texts = await Promise.all(paths.map(p => repo.read(p)));
  paths.forEach((path, i) => {
    const text = texts[i];
    if (text === undefined) return;
    for (const doc of parseAllDocuments(text)) {
      if ('errors' in doc && doc.errors.length > 0) continue;
      const object = doc.toJS();
      if (object && typeof object === 'object' && !Array.isArray(object)) {
        out.push({ path, object, text });
      }
    }
  });
  return out;
}

/** The most common value (by JSON), ties broken by the comparator (largest wins). */
export function mostCommon<T>(
  values: T[],
  prefer: (a: T, b: T) => number = () => 0,
): T | undefined {
  const counts = new Map<string, { value: T; count: number }>();
  for (const v of values) {
    if (v === undefined) continue;
    const key = JSON.stringify(v);
    const entry = counts.get(key) ?? { value: v, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  let best: { value: T; count: number } | undefined;
  for (const entry of counts.values()) {
    if (
      !best ||
      entry.count > best.count ||
      (entry.count === best.count && prefer(entry.value, best.value) > 0)
    ) {
      best = entry;
    }
  }
  return best?.value;
}

/** Compares dotted versions numerically (5.1.0 > 4.10.2 > 4.9.0). */
export function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split(/[.-]/);
  const pb = b.replace(/^v/, '').split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = Number(pa[i] ?? 0);
    const y = Number(pb[i] ?? 0);
    if (Number.isNaN(x) || Number.isNaN(y)) {
      const c = String(pa[i] ?? '').localeCompare(String(pb[i] ?? ''));
      if (c !== 0) return c;
    } else if (x !== y) return x - y;
  }
  return 0;
}

/** The schema comment most files with this name use, or the default. */
export async function schemaFor(
  repo: RepoSnapshot,
  files: string[],
  fileName: string,
  fallback: string | undefined,
): Promise<string | undefined> {
  const same = files.filter(f => f.endsWith(`/${fileName}`)).slice(0, 25);
  const texts = await Promise.all(same.map(f => repo.read(f)));
  const found = mostCommon(
    texts.map(t => (t === undefined ? undefined : schemaComment(t) ?? '')),
  );
  if (found === undefined) return fallback;
  return found === '' ? undefined : found;
}

const PLACEHOLDER = '\u0000app\u0000';

/** Replaces a sibling's own name (as a whole string value) by a placeholder. */
function normalize(value: unknown, name: string): unknown {
  if (typeof value === 'string') return value === name ? PLACEHOLDER : value;
  if (Array.isArray(value)) return value.map(v => normalize(v, name));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k === name ? PLACEHOLDER : k,
        normalize(v, name),
      ]),
    );
  }
  return value;
}

/** Puts a name where a convention had the sibling's own name. */
export function withName<T>(value: T, name: string): T {
  if (typeof value === 'string')
    return (value === PLACEHOLDER ? name : value) as T;
  if (Array.isArray(value)) return value.map(v => withName(v, name)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k === PLACEHOLDER ? name : k,
        withName(v, name),
      ]),
    ) as T;
  }
  return value;
}

/**
 * The settings most of the repo's apps share: a key is a convention when a
 * majority (and at least two) of the samples have it with the same value,
 * counting each sample's own app name as equal (so
 * `labels: {app.kubernetes.io/name: <app>}` is one convention).
 * Returns the values with `name` filled in.
 */
export function conventions(
  samples: Array<{ value: Record<string, unknown> | undefined; name: string }>,
  name: string,
  exclude: string[] = [],
): Record<string, unknown> {
  const present = samples.filter(s => s.value && typeof s.value === 'object');
  const out: Record<string, unknown> = {};
  if (present.length < 2) return out;
  const keys = new Set(present.flatMap(s => Object.keys(s.value!)));
  for (const key of keys) {
    if (exclude.includes(key)) continue;
    const values = present
      .filter(s => key in s.value!)
      .map(s => normalize(s.value![key], s.name));
    const best = mostCommon(values);
    const count = values.filter(
      v => JSON.stringify(v) === JSON.stringify(best),
    ).length;
    if (count >= 2 && count * 2 > samples.length)
      out[key] = withName(best, name);
  }
  return out;
}

/** An object with its keys in alphabetical order (the home-ops sorting rule), `first` kept in front. */
export function sortKeys<T extends Record<string, unknown>>(
  obj: T,
  first: string[] = [],
): T {
  const keys = Object.keys(obj).sort((a, b) => {
    const fa = first.indexOf(a);
    const fb = first.indexOf(b);
    if (fa >= 0 || fb >= 0)
      return (fa < 0 ? Infinity : fa) - (fb < 0 ? Infinity : fb);
    return a.localeCompare(b);
  });
  return Object.fromEntries(keys.map(k => [k, obj[k]])) as T;
}

/** Whether most of these files start with a `---` document marker. */
export function usesDocumentMarker(texts: string[]): boolean {
  const marked = texts.filter(t => t.startsWith('---')).length;
  return texts.length > 0 && marked * 2 >= texts.length;
}
