import { PageBlueprint } from '@backstage/frontend-plugin-api';
import { rootRouteRef } from '../routes';
import { TalosIcon } from './TalosIcon';

export const talosPage = PageBlueprint.make({
  params: {
    path: '/talos',
    routeRef: rootRouteRef,
    title: 'Talos',
    icon: <TalosIcon />,
    noHeader: true,
    loader: () =>
      import('../components/TalosClusterPage').then(m => (
        <m.TalosClusterPage />
      )),
  },
});
