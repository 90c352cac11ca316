import type { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  TalosClusterRef,
  TalosClusterView,
  TalosEntityView,
} from '@homelab-portal/plugin-talos-common';
import { TalosApi } from './TalosApi';

/**
 * Talks to the Talos backend plugin with the signed-in user's token.
 *
 * @public
 */
export class TalosClient implements TalosApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  private async get<T>(path: string): Promise<T> {
    const base = await this.options.discoveryApi.getBaseUrl('talos');
    const res = await this.options.fetchApi.fetch(`${base}${path}`);
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as T;
  }

  async listClusters(): Promise<TalosClusterRef[]> {
    return (await this.get<{ clusters: TalosClusterRef[] }>('/clusters'))
      .clusters;
  }

  getCluster(name: string): Promise<TalosClusterView> {
    return this.get(`/clusters/${encodeURIComponent(name)}`);
  }

  getEntityView(entityRef: string): Promise<TalosEntityView> {
    return this.get(`/entity?entityRef=${encodeURIComponent(entityRef)}`);
  }
}
