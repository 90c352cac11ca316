/**
 * Delivery status, drift, certificates and pending updates of the
 * household's GitOps apps, and a Kubernetes tab that explains itself.
 *
 * @packageDocumentation
 */
export { default } from './plugin';
export * from './legacy';
export { gitopsApiRef } from './api/GitopsApi';
export type { GitopsApi } from './api/GitopsApi';
export { GitopsClient } from './api/GitopsClient';
export {
  AppsStatusCard,
  CertificatesCard,
  DriftCard,
  UpdatesCard,
  CardFrame,
} from './components/HomeCards';
export { isGitopsApp } from './lib/isGitopsApp';
export { deliveryRouteRef, driftRouteRef } from './routes';
