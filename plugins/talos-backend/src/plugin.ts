import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { kubernetesClusterServiceRef } from '@homelab-portal/plugin-kubernetes-cluster-node';
import { talosPermissions } from '@homelab-portal/plugin-talos-common';
import { createRouter } from './router';
import { createTalosService } from './service/createTalosService';

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
        const talos = createTalosService({
          config,
          logger,
          auth,
          catalog,
          clusters,
        });
        talos.startSampling();
        lifecycle.addShutdownHook(() => talos.close());
        httpRouter.use(await createRouter({ talos, httpAuth, permissions }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
