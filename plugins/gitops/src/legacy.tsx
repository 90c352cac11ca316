/**
 * The GitOps plugin for apps on the legacy frontend system. New apps install
 * the package's default export instead.
 */
import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { gitopsApiRef } from './api/GitopsApi';
import { GitopsClient } from './api/GitopsClient';

/** @public */
export const gitopsLegacyDeliveryRouteRef = createRouteRef({
  id: 'gitops-delivery',
});
/** @public */
export const gitopsLegacyDriftRouteRef = createRouteRef({ id: 'gitops-drift' });

/**
 * Legacy plugin: register it with `plugins`, mount {@link DeliveryPage} at
 * `/delivery` and {@link DriftPage} at `/drift` (the home cards link there).
 *
 * @public
 */
export const gitopsLegacyPlugin = createPlugin({
  id: 'gitops',
  apis: [
    createApiFactory({
      api: gitopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new GitopsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    delivery: gitopsLegacyDeliveryRouteRef,
    drift: gitopsLegacyDriftRouteRef,
  },
});

/** @public */
export const DeliveryPage: () => JSX.Element = gitopsLegacyPlugin.provide(
  createRoutableExtension({
    name: 'DeliveryPage',
    component: () =>
      import('./components/DeliveryPage').then(m => m.DeliveryPage),
    mountPoint: gitopsLegacyDeliveryRouteRef,
  }),
);

/** @public */
export const DriftPage: () => JSX.Element = gitopsLegacyPlugin.provide(
  createRoutableExtension({
    name: 'DriftPage',
    component: () => import('./components/DriftPage').then(m => m.DriftPage),
    mountPoint: gitopsLegacyDriftRouteRef,
  }),
);

/** The Delivery tab; show it where `isGitopsApp` is true. @public */
export const EntityDeliveryContent: () => JSX.Element =
  gitopsLegacyPlugin.provide(
    createComponentExtension({
      name: 'EntityDeliveryContent',
      component: {
        lazy: () =>
          import('./components/DeliveryContent').then(m => m.DeliveryContent),
      },
    }),
  );

/** The Kubernetes tab that explains itself, in place of the stock one. @public */
export const EntityKubernetesTab: () => JSX.Element =
  gitopsLegacyPlugin.provide(
    createComponentExtension({
      name: 'EntityKubernetesTab',
      component: {
        lazy: () =>
          import('./components/KubernetesTab').then(m => m.KubernetesTab),
      },
    }),
  );
