import { Config } from '@backstage/config';
import { KubernetesCluster } from '../cluster/KubernetesCluster';
import { KubernetesClusterError } from '../cluster/errors';
import {
  KubernetesClusterSettings,
  readConfiguredClusters,
} from '../cluster/settings';

/**
 * How backend plugins reach a Kubernetes cluster: the clusters the
 * kubernetes plugin is configured with, so a token or CA is configured once.
 *
 * @public
 */
export interface KubernetesClusterService {
  /** Names of the clusters under `kubernetes.clusterLocatorMethods` (type config), in order. */
  listClusters(): string[];
  /**
   * The cluster of that name, or the first configured one when no name is
   * given. Throws a KubernetesClusterError naming the config key when there
   * is no such cluster.
   */
  getCluster(name?: string): KubernetesCluster;
  /**
   * A cluster a plugin configures in its own section (url, token, CA),
   * reached the same way and closed with the service.
   */
  fromSettings(settings: KubernetesClusterSettings): KubernetesCluster;
}

/**
 * The default KubernetesClusterService: one KubernetesCluster (one
 * connection pool) per cluster for the whole backend.
 *
 * @public
 */
export class DefaultKubernetesClusterService
  implements KubernetesClusterService
{
  private readonly clusters = new Map<string, KubernetesCluster>();
  private readonly own: KubernetesCluster[] = [];

  static fromConfig(
    config: Config,
    options: { serviceAccountPathPrefix?: string } = {},
  ): DefaultKubernetesClusterService {
    return new DefaultKubernetesClusterService(
      readConfiguredClusters(config),
      options,
    );
  }

  private constructor(
    private readonly settings: KubernetesClusterSettings[],
    private readonly options: { serviceAccountPathPrefix?: string },
  ) {}

  listClusters(): string[] {
    return [...new Set(this.settings.map(s => s.name))];
  }

  getCluster(name?: string): KubernetesCluster {
    // The first of a duplicated name wins, as a lookup by name in config would.
    const settings = name
      ? this.settings.find(s => s.name === name)
      : this.settings[0];
    if (!settings) {
      throw new KubernetesClusterError(
        name
          ? `No Kubernetes cluster named "${name}" under kubernetes.clusterLocatorMethods (type config); configured: ${
              this.listClusters().join(', ') || 'none'
            }`
          : 'No Kubernetes cluster is configured under kubernetes.clusterLocatorMethods (type config)',
      );
    }
    let cluster = this.clusters.get(settings.name);
    if (!cluster) {
      cluster = new KubernetesCluster(settings, this.options);
      this.clusters.set(settings.name, cluster);
    }
    return cluster;
  }

  fromSettings(settings: KubernetesClusterSettings): KubernetesCluster {
    const cluster = new KubernetesCluster(settings, this.options);
    this.own.push(cluster);
    return cluster;
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.clusters.values(), ...this.own].map(c => c.close()),
    );
  }
}
