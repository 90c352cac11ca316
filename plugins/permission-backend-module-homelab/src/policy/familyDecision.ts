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
import { gitopsStatusReadPermission } from '@homelab-portal/plugin-gitops-common';
import { HouseholdPolicyOptions } from './roles';

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * The household's own plugins whose plain reads show state (a guest is
 * running, a node is healthy) and never key material. Their permissions are
 * matched by name so this module need not import every plugin's -common
 * package: `proxmox.*` (plugins/proxmox-common), `talos.*` (talos-common).
 */
const HOUSEHOLD_PLUGINS = ['proxmox', 'talos'];

/**
 * Words that mark a permission as more than status, whatever its action:
 * configuration and credentials (a talosconfig, API tokens, SealedSecret
 * contents), admin-only views, and anything that changes a machine.
 */
const SENSITIVE_WORDS =
  /(secret|token|credential|config|key|cert|admin|power|reboot|shutdown|upgrade|reset|console|shell|exec)/i;

/**
 * What a family member may do: read the catalog (minus the entities that
 * describe secrets), the docs (TechDocs checks catalog read), app status (the
 * Kubernetes plugin's cluster and workload reads) and the household plugins'
 * plain status reads. Everything else is denied, including permissions this
 * module has never heard of: a new plugin is admin-only until someone
 * decides otherwise here.
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
  if (
    isPermission(permission, catalogLocationReadPermission) ||
    isPermission(permission, kubernetesClustersReadPermission) ||
    isPermission(permission, kubernetesResourcesReadPermission) ||
    // Is the app up, is my change live, when does a certificate expire.
    isPermission(permission, gitopsStatusReadPermission)
  ) {
    return ALLOW;
  }
  const [pluginId] = permission.name.split('.');
  if (
    HOUSEHOLD_PLUGINS.includes(pluginId) &&
    permission.attributes.action === 'read' &&
    !SENSITIVE_WORDS.test(permission.name)
  ) {
    return ALLOW;
  }
  // Not here on purpose: kubernetes.proxy (it reaches Secrets, pod logs and
  // exec), every scaffolder.* permission (templates, their parameters and
  // secret fields, task logs, dry-runs), catalog changes and refreshes.
  return DENY;
}
