/**
 * Conventions are compared across apps, so each sample's own name is
 * replaced by a placeholder first: `existingClaim: sonarr` in one app and
 * `existingClaim: radarr` in another are the same convention.
 */
export const APP = '\u0000app\u0000';

/** `<name>-secret`, `pvc-<name>`, `apps/<name>`, `<name>.yaml`: the name as a part of a value. */
function partPattern(name: string) {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[-/])${escaped}([-.]|$)`, 'g');
}

/** A value with the sample's own name (as a key, a value or a dashed part) made a placeholder. */
export function normalize(value: unknown, name: string | undefined): unknown {
  if (!name) return value;
  if (typeof value === 'string') {
    if (value === name) return APP;
    return value.replace(partPattern(name), `$1${APP}$2`);
  }
  if (Array.isArray(value)) return value.map(v => normalize(v, name));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k === name ? APP : k,
        normalize(v, name),
      ]),
    );
  }
  return value;
}

/** Puts the new app's name where the convention had the placeholder. */
export function withName<T>(value: T, name: string): T {
  if (typeof value === 'string') return value.split(APP).join(name) as T;
  if (Array.isArray(value)) return value.map(v => withName(v, name)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k === APP ? name : k,
        withName(v, name),
      ]),
    ) as T;
  }
  return value;
}

/** A path segment with the app's own name made the placeholder. */
export function segment(key: string, name: string | undefined): string {
  return key === name ? APP : key;
}
