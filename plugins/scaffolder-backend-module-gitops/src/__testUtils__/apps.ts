import { AppSpec } from '../lib/layout/types';

/** A new app as the form makes it (validated), for the layout builders' tests. */
export function testApp(overrides: Partial<AppSpec> = {}): AppSpec {
  return {
    name: 'mealie',
    title: 'Mealie',
    description: 'Recipes',
    owner: 'group:home-admins',
    namespace: 'default',
    image: { repository: 'ghcr.io/mealie-recipes/mealie', tag: 'v2.1.0' },
    port: 9000,
    env: [],
    ...overrides,
  };
}

/** The same app with everything: route, volume, env, timezone, Secret. */
export function fullApp(overrides: Partial<AppSpec> = {}): AppSpec {
  return testApp({
    hostname: 'mealie.home.example.org',
    gateway: {
      name: 'internal',
      namespace: 'kube-system',
      sectionName: 'https',
    },
    persistence: {
      size: '5Gi',
      mountPath: '/app/data',
      storageClass: 'ceph-block',
    },
    env: [{ name: 'ALLOW_SIGNUP', value: 'false' }],
    timezone: 'Europe/Paris',
    secretName: 'mealie-secret',
    ...overrides,
  });
}
