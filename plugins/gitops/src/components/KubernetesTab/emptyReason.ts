import type { ClusterObjects } from '@backstage/plugin-kubernetes-common';

/** The annotation that replaces the default `backstage.io/kubernetes-id` selector. */
export const LABEL_SELECTOR = 'backstage.io/kubernetes-label-selector';

/**
 * Why the tab has nothing to show, in words the admin can act on: no
 * cluster, a cluster the portal could not read (or may not read), or a label
 * selector that matched nothing.
 */
export function emptyReason(
  entityName: string,
  selector: string,
  clusters: string[] | undefined,
  fetched: ClusterObjects[],
) {
  if (clusters && clusters.length === 0)
    return {
      title: 'No Kubernetes cluster is configured',
      description:
        'Add one under kubernetes.clusterLocatorMethods in app-config (the demo homelab writes it for you).',
    };
  // A cluster failed as a whole when no kind at all answered.
  const failed = fetched.filter(
    c => c.errors.length > 0 && c.resources.length === 0,
  );
  if (failed.length > 0 && failed.length === fetched.length) {
    const forbidden = failed.every(c =>
      c.errors.every(
        e => e.errorType !== 'FETCH_ERROR' && e.statusCode === 403,
      ),
    );
    const names = failed.map(c => c.cluster.title ?? c.cluster.name).join(', ');
    return forbidden
      ? {
          title: `The portal may not list this app's objects in ${names}`,
          description:
            'Every kind it tried was refused (HTTP 403). Add the ClusterRole rules listed above to the portal’s ServiceAccount.',
        }
      : {
          title: `Nothing could be read from ${names}`,
          description:
            'The errors above say what failed; nothing is shown until the cluster answers.',
        };
  }
  return {
    title: `No object matches ${selector}`,
    description: `Cluster${fetched.length === 1 ? '' : 's'} ${fetched
      .map(c => c.cluster.title ?? c.cluster.name)
      .join(', ')} answered${
      fetched.some(c => c.errors.length) ? ' (but for the kinds above)' : ''
    }, but no Deployment, Pod, Service or route carries the label ${selector}. Label the workload (for app-template: global.labels), or set ${LABEL_SELECTOR} on ${entityName}.`,
  };
}
