import { toError } from '@backstage/errors';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { kubernetesClusterServiceRef } from '@homelab-portal/plugin-kubernetes-cluster-node';
import { gitopsPermissions } from '@homelab-portal/plugin-gitops-common';
import { createRouter } from './router';
import { ClusterAccess } from './service/clusterAccess';
import { ForgeReader } from './service/ForgeReader';
import { readRepositories } from './service/repositories';
import { readServedProbe } from './service/servedCertificates';
import { SnapshotSource } from './service/Snapshot';

/**
 * The GitOps backend plugin: per app, "is my change live?" (pull request →
 * Flux or Argo CD → workload → route), drift between the catalog and
 * reality, certificates, and pending Renovate updates.
 *
 * @public
 */
export const gitopsPlugin = createBackendPlugin({
  pluginId: 'gitops',
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
        catalog,
        clusters,
      }) {
        permissionsRegistry.addPermissions(gitopsPermissions);
        const repositories = readRepositories(config);
        if (!repositories.length)
          logger.info(
            'No GitOps repositories configured (gitops.repositories); delivery views show the cluster only',
          );
        let cluster: ClusterAccess | undefined;
        let clusterProblem: string | undefined;
        try {
          cluster = new ClusterAccess(
            clusters.getCluster(config.getOptionalString('gitops.cluster')),
          );
        } catch (error) {
          clusterProblem = toError(error).message;
          // Not configured is a normal state (the views say so), as Talos does.
          logger.info(`No cluster for the delivery views: ${clusterProblem}`);
        }
        const snapshots = new SnapshotSource({
          cluster,
          clusterProblem,
          readers: repositories.map(r => ForgeReader.fromConfig(config, r)),
          cacheMs:
            (config.getOptionalNumber('gitops.cacheSeconds') ?? 15) * 1000,
          servedProbe: readServedProbe(config),
          entities: async () =>
            (
              await catalog.getEntities(
                {
                  filter: [
                    { kind: 'Component' },
                    { kind: 'Resource' },
                    { kind: 'System' },
                  ],
                  fields: ['kind', 'metadata', 'spec.type', 'relations'],
                },
                { credentials: await auth.getOwnServiceCredentials() },
              )
            ).items,
        });
        httpRouter.use(
          await createRouter({ snapshots, httpAuth, permissions }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
