import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { proxmoxApiRef } from '../api/ProxmoxApi';
import { ProxmoxClient } from '../api/ProxmoxClient';

export const proxmoxApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: proxmoxApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ProxmoxClient({ discoveryApi, fetchApi }),
    }),
});
