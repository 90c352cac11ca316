import { parseObjects } from '../../profile/repoObjects';
import { registerApplication, registerFolder } from './registration';

describe('registerFolder', () => {
  it('lists the app folder the way the category lists folders', () => {
    const text = 'resources:\n  - ./jellyfin\n  - ./plex\n  - project.yaml\n';
    expect(
      registerFolder('k8s/apps/media/kustomization.yaml', text, 'mealie'),
    ).toEqual({
      path: 'k8s/apps/media/kustomization.yaml',
      content:
        'resources:\n  - ./jellyfin\n  - ./mealie\n  - ./plex\n  - project.yaml\n',
      action: 'update',
      reason: 'registers the app folder ./mealie',
    });
    expect(
      registerFolder('k.yaml', 'resources:\n  - plex\n', 'mealie').content,
    ).toBe('resources:\n  - mealie\n  - plex\n');
  });
});

describe('registerApplication', () => {
  it("lists the Application file after its unsorted siblings', before other entries", () => {
    const list = parseObjects(
      'apps/kustomization.yaml',
      'kind: Kustomization\nresources:\n  - plex.yaml\n  - whoami.yaml\n  - home-assistant.yaml\n  - ../common\n',
    )[0];
    expect(registerApplication(list, 'mealie.yaml')).toEqual({
      path: 'apps/kustomization.yaml',
      content:
        'kind: Kustomization\nresources:\n  - plex.yaml\n  - whoami.yaml\n  - home-assistant.yaml\n  - mealie.yaml\n  - ../common\n',
      action: 'update',
      reason: 'registers the Application mealie.yaml',
    });
  });
});
