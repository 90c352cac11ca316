import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  TalosClusterRef,
  TalosClusterView,
  TalosEntityView,
} from '@homelab-portal/plugin-talos-common';

/**
 * What the Talos pages ask the backend.
 *
 * @public
 */
export interface TalosApi {
  listClusters(): Promise<TalosClusterRef[]>;
  getCluster(name: string): Promise<TalosClusterView>;
  /** The Talos node in a VM entity; rejects with a 404 ResponseError when there is none. */
  getEntityView(entityRef: string): Promise<TalosEntityView>;
}

/** @public */
export const talosApiRef = createApiRef<TalosApi>({ id: 'plugin.talos.api' });
