import { PageBlueprint } from '@backstage/frontend-plugin-api';
import { rootRouteRef } from '../routes';
import { ProxmoxIcon } from './ProxmoxIcon';

/** The Proxmox page, with its nav item (title and icon). */
export const proxmoxPage = PageBlueprint.make({
  params: {
    path: '/proxmox',
    routeRef: rootRouteRef,
    title: 'Proxmox',
    icon: <ProxmoxIcon />,
    noHeader: true,
    loader: () =>
      import('../components/ProxmoxPage').then(m => <m.ProxmoxPage />),
  },
});
