import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isProxmoxEntity } from '../lib/entity';

/** The Proxmox tab on node, VM and container entities. */
export const entityProxmoxContent = EntityContentBlueprint.make({
  params: {
    path: '/proxmox',
    title: 'Proxmox',
    filter: isProxmoxEntity,
    loader: () =>
      import('../components/EntityProxmoxContent').then(m => (
        <m.EntityProxmoxContent />
      )),
  },
});
