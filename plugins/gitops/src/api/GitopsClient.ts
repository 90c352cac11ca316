import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  CertificateList,
  DeliveryList,
  DriftReport,
  RouteStatusList,
  UpdateList,
} from '@homelab-portal/plugin-gitops-common';
import { GitopsApi } from './GitopsApi';

/**
 * Talks to the GitOps backend plugin with the signed-in user's token.
 *
 * @public
 */
export class GitopsClient implements GitopsApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  private async get<T>(path: string): Promise<T> {
    const base = await this.options.discoveryApi.getBaseUrl('gitops');
    const res = await this.options.fetchApi.fetch(`${base}${path}`);
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as T;
  }

  getDeliveries(app?: string): Promise<DeliveryList> {
    return this.get(
      app ? `/deliveries?app=${encodeURIComponent(app)}` : '/deliveries',
    );
  }

  getCertificates(): Promise<CertificateList> {
    return this.get('/certificates');
  }

  getUpdates(): Promise<UpdateList> {
    return this.get('/updates');
  }

  getDrift(): Promise<DriftReport> {
    return this.get('/drift');
  }

  getRoutes(app: string): Promise<RouteStatusList> {
    return this.get(`/routes?app=${encodeURIComponent(app)}`);
  }
}
