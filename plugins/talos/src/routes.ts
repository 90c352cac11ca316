import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The Talos cluster page. @public */
export const rootRouteRef = createRouteRef();
