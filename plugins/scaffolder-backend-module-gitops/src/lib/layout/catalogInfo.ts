import { stringify } from 'yaml';
import { AppSpec } from './types';

/**
 * Whether the generated manifests label the app's pods with
 * `backstage.io/kubernetes-id: <app>` (copied from the repo's convention).
 */
export function labelsKubernetesId(manifest: unknown, name: string): boolean {
  return JSON.stringify(manifest ?? null).includes(
    `"backstage.io/kubernetes-id":${JSON.stringify(name)}`,
  );
}

/**
 * The app's catalog entity, next to its manifests. The Kubernetes tab finds
 * its pods by `backstage.io/kubernetes-id` when the repo labels pods that
 * way, else by app.kubernetes.io/instance (app-template sets it to the
 * release name, the Argo CD layout sets it on the pod template); the source
 * location points the portal, and the other homelab actions, back here.
 */
export function catalogInfoFile(
  app: AppSpec,
  appPath: string,
  podsHaveKubernetesId = false,
): string {
  const annotations: Record<string, string> = podsHaveKubernetesId
    ? { 'backstage.io/kubernetes-id': app.name }
    : {
        'backstage.io/kubernetes-label-selector': `app.kubernetes.io/instance=${app.name}`,
      };
  annotations['backstage.io/kubernetes-namespace'] = app.namespace;
  if (app.sourceLocation) {
    annotations['backstage.io/source-location'] = `url:${app.sourceLocation(
      appPath,
    )}`;
  }
  const entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: app.name,
      title: app.title,
      description: app.description,
      annotations,
      ...(app.hostname && {
        links: [
          {
            url: `https://${app.hostname}`,
            title: `Open ${app.title}`,
            icon: 'dashboard',
          },
        ],
      }),
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: app.owner,
      ...(app.system && { system: app.system }),
      dependsOn: ['resource:kubernetes-cluster'],
    },
  };
  return `---\n${stringify(entity, { lineWidth: 0 })}`;
}
