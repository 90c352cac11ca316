import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isTalosVmEntity } from '@homelab-portal/plugin-talos-common';
import { WithClusterLink } from './ClusterLink';

/** VM ↔ Talos node ↔ Kubernetes Node, on the VM's overview. */
export const entityTalosLinkCard = EntityCardBlueprint.make({
  name: 'links',
  params: {
    filter: isTalosVmEntity,
    loader: () =>
      import('../components/TalosLinkCard').then(m => (
        <WithClusterLink>
          <m.TalosLinkCard />
        </WithClusterLink>
      )),
  },
});
