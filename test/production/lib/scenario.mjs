// The demo household with the portal's identity exactly as k8s/ deploys it:
// the Deployment's ServiceAccount holds the token, and its only grants are
// the manifests' own Roles and ClusterRoles (in place of the demo's broad
// `backstage-read`), so a read the code makes and k8s/ does not allow is a
// 403 in this suite, as in a real cluster. Other accounts and the
// sealed-secrets chart's own RBAC stay as the demo has them.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { repoRoot } from '../../e2e/lib/stage.mjs';

const require = createRequire(path.join(repoRoot, 'package.json'));
const YAML = require('yaml');

const RBAC_KINDS = ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'];

/**
 * Writes the scenario to `file` (for test/e2e/lib/sim.mjs `scenarioFile`)
 * and returns it.
 */
export function householdAsDeployed(deployment, file) {
  const household = YAML.parse(
    fs.readFileSync(
      path.join(repoRoot, 'packages/homelab-sim/scenarios/household.yaml'),
      'utf8',
    ),
  );
  const { kubernetes } = household;
  const demoPortal = kubernetes.accounts.portal.serviceAccount;
  const pod = deployment.deployment;
  const serviceAccount = `${pod.metadata.namespace}/${pod.spec.template.spec.serviceAccountName}`;
  kubernetes.accounts.portal.serviceAccount = serviceAccount;
  const grantsTheDemoPortal = o =>
    o.subjects?.some(
      s =>
        s.kind === 'ServiceAccount' &&
        `${s.namespace}/${s.name}` === demoPortal,
    );
  const demoPortalRoles = new Set(
    kubernetes.rbac.filter(grantsTheDemoPortal).map(o => o.roleRef.name),
  );
  kubernetes.rbac = [
    ...kubernetes.rbac.filter(
      o =>
        !grantsTheDemoPortal(o) &&
        !(o.kind === 'ClusterRole' && demoPortalRoles.has(o.metadata.name)),
    ),
    ...deployment.objects.filter(o => RBAC_KINDS.includes(o.kind)),
  ];
  fs.writeFileSync(file, YAML.stringify(household));
  return household;
}
