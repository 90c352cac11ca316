import {
  AuthService,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { KubernetesClusterService } from '@homelab-portal/plugin-kubernetes-cluster-node';
import { readTalosConfig } from '../config/readTalosConfig';
import { adminRoleWarning } from '../grpc/talosconfig';
import { TalosService } from './TalosService';

/**
 * The Talos service from `talos.clusters`: warns about talosconfigs that
 * grant more than reading, and finds the VMs to link nodes to in the catalog.
 * No clusters configured is not an error: the Talos pages say so.
 */
export function createTalosService(options: {
  config: RootConfigService;
  logger: LoggerService;
  auth: AuthService;
  catalog: CatalogService;
  clusters: KubernetesClusterService;
}): TalosService {
  const { config, logger, auth, catalog, clusters } = options;
  const talosConfig = readTalosConfig(config, clusters) ?? {
    clusters: [],
    cacheMs: 10_000,
    upgrades: {},
  };
  talosConfig.clusters.forEach((c, i) => {
    const warning = adminRoleWarning(
      c.context,
      `talos.clusters[${i}] (${c.name})`,
    );
    if (warning) logger.warn(warning);
  });
  if (talosConfig.clusters.length === 0) {
    logger.info(
      'No Talos clusters configured (talos.clusters); the Talos pages will say so',
    );
  }
  return new TalosService(talosConfig, {
    logger,
    vmEntities: async () => {
      const { items } = await catalog.getEntities(
        {
          filter: { kind: 'Resource', 'spec.type': 'virtual-machine' },
          fields: ['kind', 'metadata', 'spec.type'],
        },
        { credentials: await auth.getOwnServiceCredentials() },
      );
      return items;
    },
  });
}
