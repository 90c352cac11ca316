/**
 * Talos and Kubernetes versions, and the Talos support matrix
 * (siderolabs/talos pkg/machinery/compatibility/talos1xx): which Talos a
 * node may upgrade from, and which Kubernetes releases each Talos minor runs.
 */

/** @public */
export type SemVer = {
  major: number;
  minor: number;
  patch: number;
  prerelease?: string;
  raw: string;
};

/**
 * Parses `v1.10.6`, `1.33.3` or `v1.14.0-rc.1`; `undefined` for anything else.
 *
 * @public
 */
export function parseVersion(raw: string): SemVer | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/.exec(raw.trim());
  if (!m) return undefined;
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    prerelease: m[4],
    raw: raw.trim(),
  };
}

/** @public */
export function compareVersions(a: SemVer, b: SemVer): number {
  const core = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (core !== 0) return core;
  if (a.prerelease === b.prerelease) return 0;
  // A release sorts after its pre-releases.
  if (a.prerelease === undefined) return 1;
  if (b.prerelease === undefined) return -1;
  return a.prerelease.localeCompare(b.prerelease);
}

/** @public */
export type TalosSupport = {
  /** Oldest Talos a node may upgrade from, straight to this minor. */
  upgradeFrom: string;
  /** Kubernetes minors this Talos minor runs (inclusive). */
  kubernetes: [string, string];
};

/**
 * Support matrix by Talos minor (`1.10`).
 *
 * @public
 */
export const TALOS_SUPPORT_MATRIX: Record<string, TalosSupport> = {
  '1.9': { upgradeFrom: '1.8.0', kubernetes: ['1.27', '1.32'] },
  '1.10': { upgradeFrom: '1.8.0', kubernetes: ['1.28', '1.33'] },
  '1.11': { upgradeFrom: '1.9.0', kubernetes: ['1.29', '1.34'] },
  '1.12': { upgradeFrom: '1.10.0', kubernetes: ['1.30', '1.35'] },
  '1.13': { upgradeFrom: '1.11.0', kubernetes: ['1.31', '1.36'] },
  '1.14': { upgradeFrom: '1.12.0', kubernetes: ['1.32', '1.37'] },
  '1.15': { upgradeFrom: '1.13.0', kubernetes: ['1.33', '1.38'] },
};

/** @public */
export function minorOf(v: SemVer): string {
  return `${v.major}.${v.minor}`;
}

function minorNumber(minor: string): number {
  return Number(minor.split('.')[1]);
}

/**
 * Whether the Talos minor of `talos` runs Kubernetes `kubernetes`; undefined
 * when the matrix does not know that Talos minor.
 *
 * @public
 */
export function talosSupportsKubernetes(
  talos: SemVer,
  kubernetes: SemVer,
): boolean | undefined {
  const support = TALOS_SUPPORT_MATRIX[minorOf(talos)];
  if (!support) return undefined;
  const k = kubernetes.minor;
  return (
    kubernetes.major === 1 &&
    k >= minorNumber(support.kubernetes[0]) &&
    k <= minorNumber(support.kubernetes[1])
  );
}

/**
 * Whether a node on `from` may upgrade straight to `to`.
 *
 * @public
 */
export function mayUpgradeTalos(from: SemVer, to: SemVer): boolean {
  if (compareVersions(to, from) <= 0) return false;
  const support = TALOS_SUPPORT_MATRIX[minorOf(to)];
  if (!support) return false;
  return compareVersions(from, parseVersion(support.upgradeFrom)!) >= 0;
}

/** Stable releases only, newest first. @public */
export function stableReleases(raw: string[]): SemVer[] {
  return raw
    .map(parseVersion)
    .filter((v): v is SemVer => !!v && v.prerelease === undefined)
    .sort((a, b) => compareVersions(b, a));
}

/**
 * The Talos releases to step through from `from` to the newest the matrix
 * knows, each time the newest release the current one may upgrade to
 * directly, and only releases that run the Kubernetes `kubernetes` (a
 * Kubernetes upgrade must come first otherwise).
 *
 * @public
 */
export function talosUpgradePath(
  from: SemVer,
  releases: SemVer[],
  kubernetes?: SemVer,
): SemVer[] {
  const runs = (r: SemVer) =>
    !kubernetes || talosSupportsKubernetes(r, kubernetes) !== false;
  const path: SemVer[] = [];
  let next = releases.find(r => mayUpgradeTalos(from, r) && runs(r));
  while (next) {
    path.push(next);
    const at: SemVer = next;
    next = releases.find(r => mayUpgradeTalos(at, r) && runs(r));
  }
  return path;
}
