import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isGitopsApp } from '../lib/isGitopsApp';

/** "Is my change live?" on every app entity. */
export const entityDeliveryContent = EntityContentBlueprint.make({
  name: 'delivery',
  params: {
    path: '/delivery',
    title: 'Delivery',
    filter: isGitopsApp,
    loader: () =>
      import('../components/DeliveryContent').then(m => <m.DeliveryContent />),
  },
});

/**
 * The Kubernetes tab that never fails silently; the app turns the upstream
 * `entity-content:kubernetes/kubernetes` off in its favour.
 */
export const entityKubernetesContent = EntityContentBlueprint.make({
  name: 'kubernetes',
  params: {
    path: '/kubernetes',
    title: 'Kubernetes',
    filter: isGitopsApp,
    loader: () =>
      import('../components/KubernetesTab').then(m => <m.KubernetesTab />),
  },
});
