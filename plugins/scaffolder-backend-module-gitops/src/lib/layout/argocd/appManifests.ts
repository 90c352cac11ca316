import { WorkloadProfile } from '../../profile/workloads';
import { namespaceManifest } from '../namespace';
import { AppSpec } from '../types';
import {
  deployment,
  httpRoute,
  persistentVolumeClaim,
  Placement,
  service,
} from './rawManifests';

/** One of the app's raw manifests: its kind (for the repository's file name and style), the file name when the repository has none. */
export type Manifest = {
  kind: string;
  fallbackFile: string;
  document: Record<string, any>;
  reason: string;
};

/**
 * The app's raw manifests in the order they are listed: its Namespace
 * when Argo CD would not create it (`namespace`), the Deployment, the
 * Service, the volume's PVC and the HTTPRoute when the app has them. The
 * notes say where each choice comes from.
 */
export function appManifests(
  app: AppSpec,
  w: WorkloadProfile | undefined,
  p: Placement,
  namespace?: string,
): { manifests: Manifest[]; notes: string[] } {
  const manifests: Manifest[] = [];
  const notes: string[] = [];
  if (namespace) {
    manifests.push({
      kind: 'Namespace',
      fallbackFile: 'ns.yaml',
      document: namespaceManifest(namespace),
      reason: `the Namespace ${namespace}: Argo CD does not create it here (CreateNamespace=true creates only an Application's own destination namespace)`,
    });
  }
  const workload = deployment(app, w, p);
  notes.push(...workload.notes);
  manifests.push(
    {
      kind: 'Deployment',
      fallbackFile: 'deployment.yaml',
      document: workload.document,
      reason: 'the Deployment',
    },
    {
      kind: 'Service',
      fallbackFile: 'svc.yaml',
      document: service(app, w, p),
      reason: 'the Service',
    },
  );
  if (app.persistence) {
    const claim = persistentVolumeClaim(app, w, p);
    notes.push(...claim.notes);
    manifests.push({
      kind: 'PersistentVolumeClaim',
      fallbackFile: 'pvc.yaml',
      document: claim.document,
      reason: `the volume (${app.persistence.size})`,
    });
  }
  if (app.hostname && app.gateway) {
    manifests.push({
      kind: 'HTTPRoute',
      fallbackFile: 'http-route.yaml',
      document: httpRoute(app, w, p),
      reason: `the route https://${app.hostname}`,
    });
  }
  return { manifests, notes };
}
