import {
  ApiBlueprint,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { talosApiRef } from '../api/TalosApi';
import { TalosClient } from '../api/TalosClient';

export const talosApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: talosApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new TalosClient({ discoveryApi, fetchApi }),
    }),
});
