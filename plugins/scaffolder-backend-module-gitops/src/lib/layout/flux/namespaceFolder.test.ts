import { parse } from 'yaml';
import {
  kustomizationLike,
  namespaceFileLike,
  newNamespaceFolder,
} from './namespaceFolder';

const model = {
  namespace: 'media',
  path: 'kubernetes/apps/media/kustomization.yaml',
  text: [
    '---',
    '# yaml-language-server: $schema=https://json.schemastore.org/kustomization',
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'namespace: media',
    'components:',
    '  - ../../components/common',
    'resources:',
    '  - ./namespace.yaml',
    '  - ./plex/ks.yaml',
    '  - ./sonarr/ks.yaml',
    '',
  ].join('\n'),
  namespaceFile: {
    entry: './namespace.yaml',
    text: [
      '---',
      'apiVersion: v1',
      'kind: Namespace',
      'metadata:',
      '  name: _ # kustomize names it',
      '  annotations:',
      '    kustomize.toolkit.fluxcd.io/prune: disabled',
      '',
    ].join('\n'),
  },
};

describe('newNamespaceFolder', () => {
  it('is the home-ops default without a sibling to copy: the namespace, its Namespace file and the app', () => {
    const files = newNamespaceFolder(
      'kubernetes/apps/home',
      'home',
      'mealie',
      undefined,
    );

    expect(files.map(f => [f.path, f.action])).toEqual([
      ['kubernetes/apps/home/kustomization.yaml', 'create'],
      ['kubernetes/apps/home/namespace.yaml', 'create'],
    ]);
    expect(parse(files[0].content)).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: 'home',
      resources: ['./namespace.yaml', './mealie/ks.yaml'],
    });
    expect(parse(files[1].content)).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'home' },
    });
  });

  it("copies the sibling folder's kustomization and namespace file for the new namespace", () => {
    const files = newNamespaceFolder(
      'kubernetes/apps/home',
      'home',
      'mealie',
      model,
    );

    expect(files.map(f => f.path)).toEqual([
      'kubernetes/apps/home/kustomization.yaml',
      'kubernetes/apps/home/namespace.yaml',
    ]);
    expect(files[0].reason).toBe(
      'new namespace folder, shaped like kubernetes/apps/media/kustomization.yaml',
    );
    expect(files[1].content).toBe(model.namespaceFile.text);
  });
});

describe('kustomizationLike', () => {
  it("keeps the model's components, schema comment and namespace file; lists only the app", () => {
    expect(
      kustomizationLike(model.text, './namespace.yaml', 'home', 'mealie'),
    ).toBe(
      [
        '---',
        '# yaml-language-server: $schema=https://json.schemastore.org/kustomization',
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'namespace: home',
        'components:',
        '  - ../../components/common',
        'resources:',
        '  - ./namespace.yaml',
        '  - ./mealie/ks.yaml',
        '',
      ].join('\n'),
    );
  });
});

describe('namespaceFileLike', () => {
  it("renames the model's namespace, but not a placeholder that kustomize renames", () => {
    const named = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: media\n';
    expect(namespaceFileLike(named, 'media', 'home')).toBe(
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: home\n',
    );
    expect(namespaceFileLike(model.namespaceFile.text, 'media', 'home')).toBe(
      model.namespaceFile.text,
    );
  });
});
