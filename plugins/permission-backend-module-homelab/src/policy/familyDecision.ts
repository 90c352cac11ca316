import {
  AuthorizeResult,
  isPermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  catalogEntityReadPermission,
  catalogLocationReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  kubernetesClustersReadPermission,
  kubernetesResourcesReadPermission,
} from '@backstage/plugin-kubernetes-common';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { proxmoxReadPermission } from '@homelab-portal/plugin-proxmox-common';
import { talosClusterReadPermission } from '@homelab-portal/plugin-talos-common';
import { gitopsStatusReadPermission } from '@homelab-portal/plugin-gitops-common';
import { HouseholdPolicyOptions } from './roles';

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * Status reads a family member may make besides the catalog: catalog
 * locations, app status (the Kubernetes plugin's cluster and workload
 * reads), and the household plugins' views (Proxmox guests and nodes, the
 * Talos cluster), which show state and never key material.
 */
const FAMILY_READS: Permission[] = [
  catalogLocationReadPermission,
  kubernetesClustersReadPermission,
  kubernetesResourcesReadPermission,
  proxmoxReadPermission,
  talosClusterReadPermission,
  // Is the app up, is my change live, when does a certificate expire.
  gitopsStatusReadPermission,
];

/**
 * What a family member may do: read the catalog (minus the entities that
 * describe secrets), the docs (TechDocs checks catalog read), app status (the
 * Kubernetes plugin's cluster and workload reads) and the household plugins'
 * plain status reads. Everything else is denied, including permissions this
 * module has never heard of: a new plugin is admin-only until someone
 * decides otherwise here.
 *
 * @public
 */
export function familyDecision(
  permission: Permission,
  options: HouseholdPolicyOptions,
): PolicyDecision {
  if (isPermission(permission, catalogEntityReadPermission)) {
    const [first, ...rest] = options.secretEntityTypes.map(type =>
      catalogConditions.hasSpec({ key: 'type', value: type }),
    );
    if (!first) return ALLOW;
    return createCatalogConditionalDecision(permission, {
      not: { anyOf: [first, ...rest] },
    });
  }
  if (FAMILY_READS.some(allowed => isPermission(permission, allowed))) {
    return ALLOW;
  }
  // Not here on purpose: kubernetes.proxy (it reaches Secrets, pod logs and
  // exec), every scaffolder.* permission (templates, their parameters and
  // secret fields, task logs, dry-runs), catalog changes and refreshes.
  return DENY;
}
