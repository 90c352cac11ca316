import { registerKs, registerNamespaceFolder } from './registration';

describe('registerKs', () => {
  it("lists the app's ks.yaml in alphabetical place, comments and the rest untouched", () => {
    const text = [
      '---',
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'namespace: default',
      'components:',
      '  - ../../components/common',
      'resources:',
      '  # keep sorted',
      '  - ./atuin/ks.yaml',
      '  - ./radarr/ks.yaml',
      '',
    ].join('\n');
    expect(registerKs(text, 'mealie')).toBe(
      text.replace(
        '  - ./radarr/ks.yaml',
        '  - ./mealie/ks.yaml\n  - ./radarr/ks.yaml',
      ),
    );
  });

  it('leaves a listed app alone', () => {
    const text = 'resources:\n  - ./mealie/ks.yaml\n';
    expect(registerKs(text, 'mealie')).toBe(text);
  });
});

describe('registerNamespaceFolder', () => {
  it('lists the namespace folder among the folders, not among the files', () => {
    const text = [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      '  - ./default',
      '  - ./media',
      '  - ./cluster-secrets.yaml',
      '',
    ].join('\n');
    expect(registerNamespaceFolder(text, 'home')).toBe(
      text.replace('  - ./media', '  - ./home\n  - ./media'),
    );
  });
});
