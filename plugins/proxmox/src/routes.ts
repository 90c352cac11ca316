import { createRouteRef } from '@backstage/frontend-plugin-api';

/** The Proxmox page. */
export const rootRouteRef = createRouteRef();
