import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import {
  DefaultKubernetesClusterService,
  KubernetesClusterService,
} from './KubernetesClusterService';

/**
 * The Kubernetes clusters of the kubernetes plugin's config, for any backend
 * plugin or module. Root-scoped: one connection pool per cluster per
 * backend, shared by everyone who asks.
 *
 * @public
 */
export const kubernetesClusterServiceRef =
  createServiceRef<KubernetesClusterService>({
    id: 'homelab.kubernetes-cluster',
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          config: coreServices.rootConfig,
          lifecycle: coreServices.rootLifecycle,
        },
        factory({ config, lifecycle }) {
          const clusters = DefaultKubernetesClusterService.fromConfig(config);
          lifecycle.addShutdownHook(() => clusters.close());
          return clusters;
        },
      }),
  });
