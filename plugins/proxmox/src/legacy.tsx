/**
 * The Proxmox plugin for apps on the legacy frontend system. New apps install
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
import { proxmoxApiRef } from './api/ProxmoxApi';
import { ProxmoxClient } from './api/ProxmoxClient';

/** @public */
export const proxmoxLegacyRootRouteRef = createRouteRef({ id: 'proxmox' });

/**
 * Legacy plugin: add it to the app and mount {@link ProxmoxPage} at a route,
 * and {@link EntityProxmoxContent} as an entity tab (guarded by
 * `isProxmoxEntity`).
 *
 * @public
 */
export const proxmoxLegacyPlugin = createPlugin({
  id: 'proxmox',
  apis: [
    createApiFactory({
      api: proxmoxApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ProxmoxClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: proxmoxLegacyRootRouteRef },
});

/**
 * The Proxmox page (legacy frontend system).
 *
 * @public
 */
export const ProxmoxPage: () => JSX.Element = proxmoxLegacyPlugin.provide(
  createRoutableExtension({
    name: 'ProxmoxPage',
    component: () =>
      import('./components/ProxmoxPage').then(m => m.ProxmoxPage),
    mountPoint: proxmoxLegacyRootRouteRef,
  }),
);

/**
 * The Proxmox entity tab (legacy frontend system).
 *
 * @public
 */
export const EntityProxmoxContent: () => JSX.Element =
  proxmoxLegacyPlugin.provide(
    createComponentExtension({
      name: 'EntityProxmoxContent',
      component: {
        lazy: () =>
          import('./components/EntityProxmoxContent').then(
            m => m.EntityProxmoxContent,
          ),
      },
    }),
  );
