import {
  compareVersions,
  minorOf,
  parseVersion,
  SemVer,
  stableReleases,
  TALOS_SUPPORT_MATRIX,
  talosSupportsKubernetes,
  talosUpgradePath,
  TalosUpgradeAdvice,
} from '@homelab-portal/plugin-talos-common';
import { Agent, fetch } from 'undici';

/** Where the list of Talos releases comes from (app-config `talos.upgrades`). */
export type UpgradeSourceConfig = {
  imageFactory?: { url: string; caPem?: string };
  talosVersions?: string[];
  kubernetesVersions?: string[];
};

export type Releases = {
  source: TalosUpgradeAdvice['source'];
  talos: string[];
  kubernetes: string[];
  error?: string;
};

/** Reads the releases; the Image Factory answers `GET /versions` with a JSON array of tags. */
export async function readReleases(
  config: UpgradeSourceConfig,
  timeoutMs = 5000,
): Promise<Releases> {
  const kubernetes = config.kubernetesVersions ?? [];
  if (config.imageFactory) {
    const url = `${config.imageFactory.url.replace(/\/$/, '')}/versions`;
    const dispatcher = config.imageFactory.caPem
      ? new Agent({ connect: { ca: config.imageFactory.caPem } })
      : undefined;
    try {
      const res = await fetch(url, {
        dispatcher,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const body = await res.json().catch(() => {
        throw new Error('the answer is not JSON');
      });
      if (!Array.isArray(body) || body.some(v => typeof v !== 'string')) {
        throw new Error('the answer is not a list of version strings');
      }
      return { source: 'image-factory', talos: body, kubernetes };
    } catch (error) {
      const cause = (error as { cause?: Error }).cause ?? (error as Error);
      const fallback = config.talosVersions ?? [];
      return {
        source: fallback.length ? 'static' : 'none',
        talos: fallback,
        kubernetes,
        error: `the Image Factory at ${url} could not be read (${
          cause.message
        })${fallback.length ? '; using the static list from app-config' : ''}`,
      };
    } finally {
      await dispatcher?.close();
    }
  }
  if (config.talosVersions?.length) {
    return { source: 'static', talos: config.talosVersions, kubernetes };
  }
  return { source: 'none', talos: [], kubernetes };
}

function distinct(versions: (string | undefined)[]): SemVer[] {
  const seen = new Map<string, SemVer>();
  for (const v of versions) {
    const p = v ? parseVersion(v) : undefined;
    if (p) seen.set(`v${p.major}.${p.minor}.${p.patch}`, p);
  }
  return [...seen.values()].sort(compareVersions);
}

/**
 * What to upgrade to, honouring the support matrix: the newest Talos, the
 * steps to reach it from the oldest node, the newest patch of the running
 * minor, and the newest Kubernetes the running Talos supports.
 */
export function adviseUpgrades(
  runningTalos: (string | undefined)[],
  runningKubernetes: (string | undefined)[],
  releases: Releases,
): TalosUpgradeAdvice {
  const talos = distinct(runningTalos);
  const kube = distinct(runningKubernetes);
  const talosReleases = stableReleases(releases.talos);
  const kubeReleases = stableReleases(releases.kubernetes);
  const advice: TalosUpgradeAdvice = {
    source: releases.source,
    error: releases.error,
    talos: { running: talos.map(v => v.raw), path: [], notes: [] },
    kubernetes: { running: kube.map(v => v.raw), notes: [] },
  };
  const oldestTalos = talos[0];
  const oldestKube = kube[0];

  if (talosReleases.length && oldestTalos) {
    const latest = talosReleases[0];
    advice.talos.latest = latest.raw;
    const patch = talosReleases.find(
      r => r.major === oldestTalos.major && r.minor === oldestTalos.minor,
    );
    if (patch && compareVersions(patch, oldestTalos) > 0)
      advice.talos.latestPatch = patch.raw;
    advice.talos.path = talosUpgradePath(
      oldestTalos,
      talosReleases,
      oldestKube,
    ).map(v => v.raw);
    if (compareVersions(latest, oldestTalos) <= 0) {
      advice.talos.notes.push(
        `every node runs the newest Talos release (${latest.raw})`,
      );
    } else if (advice.talos.path[advice.talos.path.length - 1] !== latest.raw) {
      const stop =
        advice.talos.path[advice.talos.path.length - 1] ?? oldestTalos.raw;
      const target = TALOS_SUPPORT_MATRIX[minorOf(latest)];
      const stuckOnKube =
        oldestKube && talosSupportsKubernetes(latest, oldestKube) === false;
      advice.talos.notes.push(
        stuckOnKube
          ? `Talos ${minorOf(latest)} runs Kubernetes ${target?.kubernetes.join(
              '–',
            )}: upgrade Kubernetes (now ${
              oldestKube!.raw
            }) before going past ${stop}`
          : `the support matrix does not allow a path from ${stop} to ${latest.raw}`,
      );
    }
    if (talos.length > 1) {
      advice.talos.notes.push(
        `nodes run different Talos versions (${talos
          .map(v => v.raw)
          .join(', ')}): finish the upgrade in progress first`,
      );
    }
  }

  if (kubeReleases.length && oldestKube) {
    advice.kubernetes.latest = kubeReleases[0].raw;
    if (oldestTalos) {
      const supported = kubeReleases.find(
        r => talosSupportsKubernetes(oldestTalos, r) === true,
      );
      if (supported) advice.kubernetes.latestSupported = supported.raw;
      if (talosSupportsKubernetes(oldestTalos, oldestKube) === false) {
        advice.kubernetes.notes.push(
          `Kubernetes ${oldestKube.raw} is outside what Talos ${minorOf(
            oldestTalos,
          )} supports (${TALOS_SUPPORT_MATRIX[
            minorOf(oldestTalos)
          ]?.kubernetes.join('–')})`,
        );
      }
      if (supported && compareVersions(kubeReleases[0], supported) > 0) {
        advice.kubernetes.notes.push(
          `Kubernetes ${kubeReleases[0].raw} needs a newer Talos than ${oldestTalos.raw}; upgrade Talos first`,
        );
      }
      if (supported && supported.minor > oldestKube.minor + 1) {
        advice.kubernetes.notes.push(
          'Kubernetes upgrades go one minor release at a time',
        );
      }
    }
  }
  return advice;
}
