import { explain } from '../../profile/tally';
import { WorkloadProfile } from '../../profile/workloads';

/**
 * Where the namespace of each object comes from, as the repository does
 * it: the app kustomization's `namespace:`, each object's own
 * `metadata.namespace`, or the Application's destination (only when Argo
 * CD sets it to the app's namespace: `argoSets`). Without apps to copy,
 * each object names it.
 */
export function namespaceSource(
  w: WorkloadProfile | undefined,
  argoSets: boolean,
): { inKustomization: boolean; explicit: boolean; notes: string[] } {
  const inKustomization = !!w?.kustomizationNamespace.value;
  const explicit =
    !inKustomization && (w ? w.explicitNamespace.value || !argoSets : true);
  if (!w) return { inKustomization, explicit, notes: [] };
  let where = "from the Application's destination";
  if (inKustomization) where = 'in the kustomization';
  else if (explicit) where = 'on each object';
  return {
    inKustomization,
    explicit,
    notes: [
      `namespace ${where}: ${explain(
        inKustomization ? w.kustomizationNamespace : w.explicitNamespace,
      )}`,
    ],
  };
}
