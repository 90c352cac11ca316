import { addProjectDestination } from './appProject';

describe('addProjectDestination', () => {
  const project = [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: AppProject',
    'metadata:',
    '  name: media',
    'spec:',
    '  destinations:',
    '    - namespace: plex',
    "      server: 'https://kubernetes.default.svc'",
    '',
  ].join('\n');

  it('allows the namespace like the last destination (its keys, order and quoting)', () => {
    expect(addProjectDestination(project, 'recipes')).toBe(
      `${project}    - namespace: recipes\n      server: 'https://kubernetes.default.svc'\n`,
    );
  });

  it('changes nothing when the namespace is allowed already, or every namespace is', () => {
    expect(addProjectDestination(project, 'plex')).toBeUndefined();
    expect(
      addProjectDestination(
        project.replace('namespace: plex', "namespace: '*'"),
        'recipes',
      ),
    ).toBeUndefined();
    expect(
      addProjectDestination(
        project.replace('AppProject', 'Application'),
        'recipes',
      ),
    ).toBeUndefined();
  });
});
