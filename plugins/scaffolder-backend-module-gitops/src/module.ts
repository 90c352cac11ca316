import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createAppGenerateAction } from './actions/appGenerate';
import { createGiteaPullRequestAction } from './actions/giteaPullRequest';
import { createPullRequestDescribeAction } from './actions/pullRequestDescribe';
import { createRouteGenerateAction } from './actions/routeGenerate';
import { createSecretSealAction } from './actions/secretSeal';
import { readGitopsConfig } from './config';
import { cloneRepoOpener } from './lib/repo/openRepo';
import { fetchSealingCertificate } from './lib/sealing/certificateSource';
import { enableSecureDelete } from './secureDelete';

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
        database: coreServices.database,
      },
      async init({ scaffolder, config, logger, database }) {
        const gitops = readGitopsConfig(config);
        const integrations = ScmIntegrations.fromConfig(config);
        const githubCredentials =
          DefaultGithubCredentialsProvider.fromIntegrations(integrations);
        const openRepo = cloneRepoOpener(
          integrations,
          githubCredentials,
          gitops.forgeHosts,
        );
        // Plaintext secret values pass through the scaffolder's tasks table.
        await enableSecureDelete(database, logger);
        scaffolder.addActions(
          createAppGenerateAction({ config: gitops, openRepo }),
          createSecretSealAction({
            config: gitops,
            openRepo,
            fetchCertificate: () =>
              fetchSealingCertificate(gitops.sealedSecrets),
          }),
          createRouteGenerateAction({ config: gitops, openRepo }),
          createPullRequestDescribeAction(),
          createGiteaPullRequestAction({
            integrations,
            defaultAuthor: {
              name: config.getOptionalString('scaffolder.defaultAuthor.name'),
              email: config.getOptionalString('scaffolder.defaultAuthor.email'),
            },
          }),
        );
      },
    });
  },
});
