/**
 * The Talos plugin for apps on the legacy frontend system. New apps install
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
  useRouteRef,
} from '@backstage/core-plugin-api';
import { ReactNode } from 'react';
import { talosApiRef } from './api/TalosApi';
import { TalosClient } from './api/TalosClient';
import { ClusterPageLinkProvider } from './hooks/clusterPageLink';

/** @public */
export const talosLegacyRootRouteRef = createRouteRef({ id: 'talos' });

/**
 * Legacy plugin: register it with `plugins` and mount {@link TalosPage}.
 *
 * @public
 */
export const talosLegacyPlugin = createPlugin({
  id: 'talos',
  apis: [
    createApiFactory({
      api: talosApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new TalosClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: talosLegacyRootRouteRef },
});

function LegacyClusterLink(props: { children: ReactNode }) {
  const page = useRouteRef(talosLegacyRootRouteRef);
  return (
    <ClusterPageLinkProvider
      link={cluster => `${page()}?cluster=${encodeURIComponent(cluster)}`}
    >
      {props.children}
    </ClusterPageLinkProvider>
  );
}

/**
 * The Talos cluster page, e.g. `<Route path="/talos" element={<TalosPage />} />`.
 *
 * @public
 */
export const TalosPage: () => JSX.Element = talosLegacyPlugin.provide(
  createRoutableExtension({
    name: 'TalosPage',
    component: () =>
      import('./components/TalosClusterPage').then(m => m.TalosClusterPage),
    mountPoint: talosLegacyRootRouteRef,
  }),
);

/**
 * The Talos tab for VM entities; show it for entities where
 * `isTalosVmEntity` (from the -common package) is true.
 *
 * @public
 */
export const EntityTalosContent = talosLegacyPlugin.provide(
  createComponentExtension({
    name: 'EntityTalosContent',
    component: {
      lazy: () =>
        import('./components/TalosVmContent').then(m => () => (
          <LegacyClusterLink>
            <m.TalosVmContent />
          </LegacyClusterLink>
        )),
    },
  }),
);

/**
 * The card linking a VM, its Talos node and its Kubernetes Node.
 *
 * @public
 */
export const EntityTalosLinkCard = talosLegacyPlugin.provide(
  createComponentExtension({
    name: 'EntityTalosLinkCard',
    component: {
      lazy: () =>
        import('./components/TalosLinkCard').then(m => () => (
          <LegacyClusterLink>
            <m.TalosLinkCard />
          </LegacyClusterLink>
        )),
    },
  }),
);
