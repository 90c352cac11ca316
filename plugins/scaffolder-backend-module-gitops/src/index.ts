/**
 * homelab:* scaffolder actions for GitOps self-service: new apps, sealed
 * secrets and routes as pull requests (Flux or Argo CD layouts, GitHub or
 * Gitea/Forgejo).
 *
 * @packageDocumentation
 */
export { scaffolderGitopsFeatures as default } from './features';
export { createAppGenerateAction } from './actions/appGenerate';
export type { AppGenerateActionOptions } from './actions/appGenerate';
export { createSecretSealAction } from './actions/secretSeal';
export type { SecretSealActionOptions } from './actions/secretSeal';
export { createRouteGenerateAction } from './actions/routeGenerate';
export type { RouteGenerateActionOptions } from './actions/routeGenerate';
export { createGiteaPullRequestAction } from './actions/giteaPullRequest';
export type { GiteaPullRequestActionOptions } from './actions/giteaPullRequest';
export { createPullRequestDescribeAction } from './actions/pullRequestDescribe';
export { createPullRequestStatusAction } from './actions/pullRequestStatus';
export type { PullRequestStatusActionOptions } from './actions/pullRequestStatus';
