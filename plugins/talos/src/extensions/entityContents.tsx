import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isTalosVmEntity } from '@homelab-portal/plugin-talos-common';
import { WithClusterLink } from './ClusterLink';

/** The Talos tab on VM entities that run a Talos node. */
export const entityTalosContent = EntityContentBlueprint.make({
  name: 'node',
  params: {
    path: '/talos',
    title: 'Talos',
    filter: isTalosVmEntity,
    loader: () =>
      import('../components/TalosVmContent').then(m => (
        <WithClusterLink>
          <m.TalosVmContent />
        </WithClusterLink>
      )),
  },
});
