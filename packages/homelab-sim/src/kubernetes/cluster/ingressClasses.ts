import { staticMeta } from './objectMeta';
import type { SourceContext } from './objectSources';

/**
 * Cilium's IngressClass (`ingressController.enabled`): installed with
 * Cilium, unused by the household, whose routes are Gateway API HTTPRoutes.
 */
export function ingressClasses({ t }: SourceContext) {
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: {
        ...staticMeta(
          t,
          'IngressClass',
          'cilium',
          undefined,
          t.clusterCreatedAt,
        ),
        labels: { 'app.kubernetes.io/part-of': 'cilium' },
      },
      spec: { controller: 'cilium.io/ingress-controller' },
    },
  ];
}
