import { PageBlueprint } from '@backstage/frontend-plugin-api';
import CompareArrows from '@material-ui/icons/CompareArrows';
import LocalShipping from '@material-ui/icons/LocalShipping';
import { deliveryRouteRef, driftRouteRef } from '../routes';

export const deliveryPage = PageBlueprint.make({
  name: 'delivery',
  params: {
    path: '/delivery',
    routeRef: deliveryRouteRef,
    title: 'Delivery',
    icon: <LocalShipping />,
    noHeader: true,
    loader: () =>
      import('../components/DeliveryPage').then(m => <m.DeliveryPage />),
  },
});

export const driftPage = PageBlueprint.make({
  name: 'drift',
  params: {
    path: '/drift',
    routeRef: driftRouteRef,
    title: 'Drift',
    icon: <CompareArrows />,
    noHeader: true,
    loader: () => import('../components/DriftPage').then(m => <m.DriftPage />),
  },
});
