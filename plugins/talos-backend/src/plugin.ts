import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { kubernetesClusterServiceRef } from '@homelab-portal/plugin-kubernetes-cluster-node';
import { talosPermissions } from '@homelab-portal/plugin-talos-common';
import { readTalosConfig } from './config/readTalosConfig';
import { adminRoleWarning } from './grpc/talosconfig';
import { createRouter } from './router';
import { TalosService } from './service/TalosService';

/**
 * The Talos backend plugin: live state of Talos clusters over the Talos API
 * (gRPC, mTLS from a talosconfig), with health checks, upgrade advice and
 * links to the VMs and Kubernetes Nodes.
 *
 * @public
 */
export const talosPlugin = createBackendPlugin({
  pluginId: 'talos',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        clusters: kubernetesClusterServiceRef,
      },
      async init({
        config,
        logger,
        httpRouter,
        httpAuth,
        auth,
        permissions,
        permissionsRegistry,
        lifecycle,
        catalog,
        clusters,
      }) {
        permissionsRegistry.addPermissions(talosPermissions);
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
        const talos = new TalosService(talosConfig, {
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
        talos.startSampling();
        lifecycle.addShutdownHook(() => talos.close());
        httpRouter.use(await createRouter({ talos, httpAuth, permissions }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
