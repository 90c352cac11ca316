import { toError } from '@backstage/errors';
import type { Entity } from '@backstage/catalog-model';
import type { SourceError } from '@homelab-portal/plugin-gitops-common';
import { ClusterAccess, KubeObject } from './clusterAccess';
import { AppFolder, ForgePull, ForgeReader } from './ForgeReader';
import {
  probeServedCertificates,
  ServedCertificate,
  ServedProbeOptions,
} from './servedCertificates';

/** The kinds the views read, by the name the code uses. */
export const KINDS = {
  kustomizations: ['kustomize.toolkit.fluxcd.io', 'v1', 'kustomizations'],
  helmreleases: ['helm.toolkit.fluxcd.io', 'v2', 'helmreleases'],
  applications: ['argoproj.io', 'v1alpha1', 'applications'],
  certificates: ['cert-manager.io', 'v1', 'certificates'],
  httproutes: ['gateway.networking.k8s.io', 'v1', 'httproutes'],
  gateways: ['gateway.networking.k8s.io', 'v1', 'gateways'],
  deployments: ['apps', 'v1', 'deployments'],
  statefulsets: ['apps', 'v1', 'statefulsets'],
  daemonsets: ['apps', 'v1', 'daemonsets'],
  cronjobs: ['batch', 'v1', 'cronjobs'],
  pods: ['', 'v1', 'pods'],
  nodes: ['', 'v1', 'nodes'],
} as const;

export type Kind = keyof typeof KINDS;

export type RepoPulls = {
  reader: ForgeReader;
  pulls: (ForgePull & { files: string[] })[];
  /** The app folders on the branch; unset when the forge could not be read. */
  folders?: AppFolder[];
};

/** One read of every source, shared by every view until it is `cacheMs` old. */
export type Snapshot = {
  checkedAt: string;
  errors: SourceError[];
  cluster: Record<Kind, KubeObject[]>;
  /** Kinds that could not be read (so "none" is not mistaken for "not allowed"). */
  unreadable: Set<Kind>;
  /** Whether a cluster is configured at all. */
  clusterConfigured: boolean;
  repos: RepoPulls[];
  entities: Entity[];
  /** What each Gateway listener serves, by Secret (`namespace/name`); empty unless probing is on. */
  served: Map<string, ServedCertificate>;
};

export class SnapshotSource {
  private current?: { at: number; value: Promise<Snapshot> };

  constructor(
    private readonly options: {
      cluster?: ClusterAccess;
      /** Why there is no cluster, in words that say what to configure. */
      clusterProblem?: string;
      readers: ForgeReader[];
      entities: () => Promise<Entity[]>;
      cacheMs: number;
      /** Ask the Gateways for the certificates they serve (`gitops.servedCertificates`). */
      servedProbe?: ServedProbeOptions;
      now?: () => number;
    },
  ) {}

  get(): Promise<Snapshot> {
    const now = (this.options.now ?? Date.now)();
    if (!this.current || now - this.current.at >= this.options.cacheMs) {
      const value = this.read(now);
      this.current = { at: now, value };
      value.catch(() => {
        this.current = undefined;
      });
    }
    return this.current.value;
  }

  private async read(now: number): Promise<Snapshot> {
    const errors: SourceError[] = [];
    const unreadable = new Set<Kind>();
    const cluster = {} as Record<Kind, KubeObject[]>;
    const { cluster: access } = this.options;
    await Promise.all(
      (Object.keys(KINDS) as Kind[]).map(async kind => {
        cluster[kind] = [];
        if (!access) return;
        const [group, version, plural] = KINDS[kind];
        try {
          cluster[kind] = await access.list(group, version, plural);
        } catch (error) {
          unreadable.add(kind);
          errors.push({ source: 'cluster', message: toError(error).message });
        }
      }),
    );
    if (!access)
      errors.push({
        source: 'cluster',
        message:
          this.options.clusterProblem ??
          'No cluster configured: add one under kubernetes.clusterLocatorMethods (type config), or set gitops.cluster',
      });
    const { servedProbe } = this.options;
    const served = servedProbe
      ? probeServedCertificates(
          cluster.gateways,
          cluster.httproutes,
          servedProbe,
        )
      : Promise.resolve(new Map<string, ServedCertificate>());
    const repos = await Promise.all(
      this.options.readers.map(async reader => {
        try {
          const [pulls, folders] = await Promise.all([
            reader.pulls(),
            reader.appFolders(),
          ]);
          const withFiles = await Promise.all(
            pulls.map(async p => ({
              ...p,
              files: await reader.filesOf(p).catch(() => [] as string[]),
            })),
          );
          return { reader, pulls: withFiles, folders };
        } catch (error) {
          errors.push({ source: 'forge', message: toError(error).message });
          return { reader, pulls: [] };
        }
      }),
    );
    let entities: Entity[] = [];
    try {
      entities = await this.options.entities();
    } catch (error) {
      errors.push({
        source: 'catalog',
        message: `the catalog did not answer: ${toError(error).message}`,
      });
    }
    // Deduplicate identical messages (one per kind when the cluster is down).
    const seen = new Set<string>();
    return {
      checkedAt: new Date(now).toISOString(),
      errors: errors.filter(e => !seen.has(e.message) && seen.add(e.message)),
      cluster,
      unreadable,
      clusterConfigured: Boolean(access),
      repos,
      entities,
      served: await served,
    };
  }
}
