import { parse } from 'yaml';
import { crdProblems } from '../../../__testUtils__/crds';
import { parseObjects } from '../../profile/repoObjects';
import { renderFile } from '../render';
import { argoApplication } from './application';

/** A sibling Application of an app-of-apps repository, as written there. */
const sibling = (app: string, namespace = app, extra = '') =>
  parseObjects(
    `apps/${app}.yaml`,
    `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${app}
  namespace: argocd
  finalizers:
    - resources-finalizer.argocd.argoproj.io
spec:
  project: applications
  source:
    path: apps/${app}
    repoURL: https://github.com/example/homelab
    targetRevision: HEAD
  destination:
    namespace: ${namespace}
    name: in-cluster
  syncPolicy:
    automated:
      selfHeal: true
      prune: true
    syncOptions:
      - CreateNamespace=true
${extra}`,
  )[0];

describe('argoApplication', () => {
  const siblings = [
    sibling('plex'),
    sibling('sonarr'),
    sibling('whoami', 'whoami', '      - ServerSideApply=true\n'),
  ];

  it('is the shape most siblings share, for the new app, its folder and its namespace', () => {
    const made = argoApplication(siblings, 'mealie', 'apps/mealie', 'recipes');

    expect(crdProblems(made.document as any)).toEqual([]);
    expect(made.document).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: 'mealie',
        namespace: 'argocd',
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {
        project: 'applications',
        source: {
          path: 'apps/mealie',
          repoURL: 'https://github.com/example/homelab',
          targetRevision: 'HEAD',
        },
        destination: { namespace: 'recipes', name: 'in-cluster' },
        syncPolicy: {
          automated: { selfHeal: true, prune: true },
          syncOptions: ['CreateNamespace=true'],
        },
      },
    });
    expect([made.count, made.total]).toEqual([2, 3]);
  });

  it('is named and placed like the siblings, and written in their style', () => {
    const made = argoApplication(siblings, 'mealie', 'apps/mealie', 'recipes');

    expect(made.fileName).toBe('mealie.yaml');
    expect(made.path).toBe('apps/mealie.yaml');
    const text = renderFile(made.document, made.style, { name: 'mealie' });
    expect(parse(text)).toEqual(made.document);
    expect(text).toContain('  finalizers:\n    - resources-finalizer');
  });
});
