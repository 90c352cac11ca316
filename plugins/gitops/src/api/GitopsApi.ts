import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  CertificateList,
  DeliveryList,
  DriftReport,
  RouteStatusList,
  UpdateList,
} from '@homelab-portal/plugin-gitops-common';

/**
 * What the GitOps views ask the backend. Every answer carries `checkedAt`
 * and the sources it could not read.
 *
 * @public
 */
export interface GitopsApi {
  /** Every app, or one app (by its name in the repository and the cluster). */
  getDeliveries(app?: string): Promise<DeliveryList>;
  getCertificates(): Promise<CertificateList>;
  getUpdates(): Promise<UpdateList>;
  getDrift(): Promise<DriftReport>;
  getRoutes(app: string): Promise<RouteStatusList>;
}

/** @public */
export const gitopsApiRef = createApiRef<GitopsApi>({
  id: 'plugin.gitops.api',
});
