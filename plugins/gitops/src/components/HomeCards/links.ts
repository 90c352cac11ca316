import { useRouteRef } from '@backstage/frontend-plugin-api';
import { deliveryRouteRef, driftRouteRef } from '../../routes';

/** Where the cards link to: the plugin's pages, or their default paths. */
export function useDetailLinks() {
  const delivery = useRouteRef(deliveryRouteRef);
  const drift = useRouteRef(driftRouteRef);
  return {
    delivery: delivery?.() ?? '/delivery',
    drift: drift?.() ?? '/drift',
  };
}
