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

/** How the Kubernetes tab finds the app's pods: by kubernetes-id, or by these labels. */
export type PodSelector = 'kubernetes-id' | Record<string, string>;

/**
 * The app's catalog entity, next to its manifests. The Kubernetes tab finds
 * its pods by `backstage.io/kubernetes-id` when the repo labels pods that
 * way, else by the pods' selector labels (app-template's
 * app.kubernetes.io/instance, or the raw Deployment's selector); the source
 * location points the portal, and the other homelab actions, back here.
 */
export function catalogInfoFile(
  app: AppSpec,
  appPath: string,
  pods: PodSelector,
): string {
  const annotations: Record<string, string> =
    pods === 'kubernetes-id'
      ? { 'backstage.io/kubernetes-id': app.name }
      : {
          'backstage.io/kubernetes-label-selector': Object.entries(pods)
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
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
