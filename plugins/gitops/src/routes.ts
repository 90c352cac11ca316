import { createRouteRef } from '@backstage/frontend-plugin-api';

/** Every app's delivery state. @public */
export const deliveryRouteRef = createRouteRef();

/** Catalog against reality. @public */
export const driftRouteRef = createRouteRef();
