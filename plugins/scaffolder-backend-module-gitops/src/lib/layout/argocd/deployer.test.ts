import { AppsContainer } from '../../profile/layout';
import { parseObjects } from '../../profile/repoObjects';
import {
  argoCreatesNamespace,
  argoSetsNamespace,
  describeDeployer,
  projectName,
} from './deployer';

/** A container whose apps an ApplicationSet finds (one Application per folder). */
const appset = (destination: string, syncOptions = '') =>
  ({
    path: 'k8s/apps/media',
    name: 'media',
    registration: {
      kind: 'appset',
      appset: parseObjects(
        'k8s/sets/media.yaml',
        `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: media
spec:
  template:
    spec:
      project: media
      destination:
        namespace: '${destination}'
      syncPolicy:
        syncOptions: [${syncOptions}]
`,
      )[0],
    },
  } as AppsContainer);

describe('argoCreatesNamespace', () => {
  it("counts CreateNamespace=true only for the Application's own destination", () => {
    const perFolder = appset('{{path.basename}}', 'CreateNamespace=true');
    expect(argoCreatesNamespace(perFolder, 'mealie', 'mealie')).toBe(true);
    expect(argoCreatesNamespace(perFolder, 'recipes', 'mealie')).toBe(false);

    const fixed = appset('media', 'CreateNamespace=true');
    expect(argoCreatesNamespace(fixed, 'media', 'mealie')).toBe(true);
    expect(argoCreatesNamespace(fixed, 'recipes', 'mealie')).toBe(false);

    expect(
      argoCreatesNamespace(appset('{{path.basename}}'), 'mealie', 'mealie'),
    ).toBe(false);
  });

  it("trusts the app's own Application (app-of-apps): its destination is the namespace", () => {
    const container = {
      path: 'apps',
      name: 'apps',
      registration: { kind: 'application-files', siblings: [] },
    } as AppsContainer;
    const model = {
      spec: { syncPolicy: { syncOptions: ['CreateNamespace=true'] } },
    };
    expect(argoCreatesNamespace(container, 'recipes', 'mealie', model)).toBe(
      true,
    );
    expect(
      argoCreatesNamespace(container, 'recipes', 'mealie', { spec: {} }),
    ).toBe(false);
  });
});

describe('argoSetsNamespace', () => {
  it("is whether the deployer's destination is the app's namespace", () => {
    expect(
      argoSetsNamespace(appset('{{ .path.basename }}'), 'mealie', 'mealie'),
    ).toBe(true);
    expect(argoSetsNamespace(appset('media'), 'mealie', 'mealie')).toBe(false);
    expect(argoSetsNamespace(appset('media'), 'media', 'mealie')).toBe(true);
  });
});

describe('projectName and describeDeployer', () => {
  it("read the deployer's project and how it finds apps", () => {
    expect(projectName(appset('media'))).toBe('media');
    expect(projectName(appset('media'), { spec: { project: 'apps' } })).toBe(
      'apps',
    );
    expect(describeDeployer(appset('media'))).toBe(
      'through the ApplicationSet media (one Application per folder)',
    );
  });
});
