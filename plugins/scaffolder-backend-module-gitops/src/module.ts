import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { kubernetesClusterServiceRef } from '@homelab-portal/plugin-kubernetes-cluster-node';
import { createAppGenerateAction } from './actions/appGenerate';
import { withUserFacingErrors } from './actions/userFacingErrors';
import { createGiteaPullRequestAction } from './actions/giteaPullRequest';
import { createPullRequestDescribeAction } from './actions/pullRequestDescribe';
import { createPullRequestStatusAction } from './actions/pullRequestStatus';
import { createRouteGenerateAction } from './actions/routeGenerate';
import { createSecretSealAction } from './actions/secretSeal';
import { readGitopsConfig } from './config';
import { cloneRepoOpener } from './lib/repo/openRepo';
import { SealingCertificateSource } from './lib/sealing/certificateSource';
import { createTaskRequestGuard } from './service/taskRequestGuard';

/**
 * The homelab:* scaffolder actions: apps, sealed secrets and routes as
 * GitOps pull requests (Flux or Argo CD layout, GitHub or Gitea/Forgejo).
 *
 * @public
 */
export const scaffolderModuleHomelabGitops = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'homelab-gitops',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        clusters: kubernetesClusterServiceRef,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        catalog: catalogServiceRef,
      },
      async init({
        scaffolder,
        config,
        logger,
        clusters,
        httpRouter,
        httpAuth,
        catalog,
      }) {
        const gitops = readGitopsConfig(config);
        const integrations = ScmIntegrations.fromConfig(config);
        const githubCredentials =
          DefaultGithubCredentialsProvider.fromIntegrations(integrations);
        const openRepo = cloneRepoOpener(
          integrations,
          githubCredentials,
          gitops.forgeHosts,
        );
        const certificates = new SealingCertificateSource(
          gitops.sealedSecrets,
          clusters,
        );
        scaffolder.addActions(
          ...[
            createAppGenerateAction({ config: gitops, openRepo }),
            createSecretSealAction({
              config: gitops,
              openRepo,
              fetchCertificate: () => certificates.fetch(),
            }),
            createRouteGenerateAction({ config: gitops, openRepo }),
            createPullRequestDescribeAction(),
            createGiteaPullRequestAction({
              integrations,
              defaultAuthor: {
                name: config.getOptionalString('scaffolder.defaultAuthor.name'),
                email: config.getOptionalString(
                  'scaffolder.defaultAuthor.email',
                ),
              },
            }),
            createPullRequestStatusAction({ integrations }),
          ].map(action => withUserFacingErrors(action, logger)),
        );
        // In front of the scaffolder's routes: secret size limits and
        // readable form errors.
        httpRouter.use(createTaskRequestGuard({ httpAuth, catalog, logger }));
      },
    });
  },
});
