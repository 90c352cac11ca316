import { EmptyState, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { proxmoxApiRef } from '../../api/ProxmoxApi';
import { proxmoxTargetOf } from '../../lib/entity';
import { GuestContent } from '../GuestContent';
import { NodeContent } from '../NodeContent';

/**
 * The Proxmox tab: live state of the node, VM or container an entity stands
 * for (from the provider's annotations).
 *
 * @public
 */
export function EntityProxmoxContent() {
  const { entity } = useEntity();
  const api = useApi(proxmoxApiRef);
  const target = proxmoxTargetOf(entity);
  const instances = useAsync(() => api.listInstances(), [api]);
  if (!target) {
    return (
      <EmptyState
        missing="field"
        title="Not a Proxmox node or guest"
        description="This entity has no proxmox.homelab.dev annotations; the Proxmox entity provider sets them on the nodes, VMs and containers it creates."
      />
    );
  }
  if (instances.loading) return <Progress />;
  const info = instances.value?.find(i => i.id === target.instance);
  if (instances.value && !info) {
    return (
      <EmptyState
        missing="info"
        title={`Proxmox instance "${target.instance}" is not configured`}
        description={`This entity came from the Proxmox instance "${target.instance}", which is no longer under proxmox.instances in app-config.`}
      />
    );
  }
  return target.kind === 'node' ? (
    <NodeContent instance={target.instance} node={target.node} info={info} />
  ) : (
    <GuestContent instance={target.instance} vmid={target.vmid} info={info} />
  );
}
