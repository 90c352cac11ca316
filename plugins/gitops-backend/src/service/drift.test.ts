import { ConfigReader } from '@backstage/config';
import { driftOf } from './drift';
import { ForgeReader } from './ForgeReader';
import { KINDS, Kind, Snapshot } from './Snapshot';

const reader = ForgeReader.fromConfig(
  new ConfigReader({ integrations: { github: [{ host: 'github.com' }] } }),
  {
    name: 'home-ops',
    engine: 'flux',
    forge: 'github',
    host: 'github.com',
    owner: 'home-ops',
    repo: 'home-ops',
    branch: 'main',
    appsPath: 'kubernetes/apps',
  },
);

function snapshot(folders?: { namespace: string; name: string }[]): Snapshot {
  const cluster = Object.fromEntries(
    Object.keys(KINDS).map(k => [k, []]),
  ) as unknown as Snapshot['cluster'];
  cluster.kustomizations = [
    {
      kind: 'Kustomization',
      metadata: { name: 'mealie', namespace: 'productivity' },
    },
  ];
  return {
    checkedAt: new Date(0).toISOString(),
    errors: [],
    cluster,
    unreadable: new Set<Kind>(),
    clusterConfigured: true,
    repos: [{ reader, pulls: [], folders }],
    entities: [],
    served: new Map(),
  };
}

describe('driftOf: apps without an entity', () => {
  it('lists a folder of the repository that Flux does not deploy, with its folder', () => {
    const items = driftOf(
      snapshot([
        { namespace: 'productivity', name: 'mealie' },
        { namespace: 'productivity', name: 'wallabag' },
      ]),
    );
    expect(items.map(i => [i.subject, i.detail, i.action.url])).toEqual([
      [
        'mealie',
        'In home-ops (kubernetes/apps/productivity/mealie, Flux), but no catalog entity has backstage.io/kubernetes-id: mealie',
        'https://github.com/home-ops/home-ops/tree/main/kubernetes/apps/productivity/mealie',
      ],
      [
        'wallabag',
        'In home-ops (kubernetes/apps/productivity/wallabag, not deployed by Flux), but no catalog entity has backstage.io/kubernetes-id: wallabag',
        'https://github.com/home-ops/home-ops/tree/main/kubernetes/apps/productivity/wallabag',
      ],
    ]);
  });

  it('still lists what Flux deploys when the folders could not be read', () => {
    const items = driftOf(snapshot(undefined));
    expect(items.map(i => i.detail)).toEqual([
      'In home-ops (Flux), but no catalog entity has backstage.io/kubernetes-id: mealie',
    ]);
  });
});
