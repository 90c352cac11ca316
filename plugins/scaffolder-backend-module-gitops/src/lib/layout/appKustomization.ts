import { OrderLearner } from '../profile/order';
import { orderResources } from './register';

/**
 * The app's kustomization.yaml: its manifests, plus whatever else the
 * layout puts there (a `namespace:`, the settings most app kustomizations
 * share), `resources` last.
 */
export function appKustomization(
  resources: string[],
  extra: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    ...extra,
    resources,
  };
}

/** The app's files as its kustomization lists them: in the repository's order, `./`-prefixed when it writes them so. */
export function listedResources(
  files: string[],
  order: OrderLearner,
  app: string,
  dotSlash: boolean,
): string[] {
  return orderResources(files, order, app).map(r => (dotSlash ? `./${r}` : r));
}

/** The plan's note on the app kustomization's order. */
export const listedNote = (listed: string[]) =>
  `app kustomization lists ${listed.join(
    ', ',
  )} in the order the other apps' kustomizations use`;
