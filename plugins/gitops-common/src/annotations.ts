import type { Entity } from '@backstage/catalog-model';

/**
 * The app's folder name in the GitOps repository (and the name of its Flux
 * Kustomization, HelmRelease or Argo CD Application), when it differs from
 * the entity's `backstage.io/kubernetes-id`.
 *
 * @public
 */
export const ANNOTATION_GITOPS_APP = 'gitops.homelab.dev/app';

/** @public */
export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';

/**
 * The name an entity's app has in the GitOps repository and the cluster, or
 * undefined for entities that are no deployed app.
 *
 * @public
 */
export function gitopsAppName(entity: Entity): string | undefined {
  const a = entity.metadata.annotations ?? {};
  return a[ANNOTATION_GITOPS_APP] ?? a[ANNOTATION_KUBERNETES_ID];
}
