import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import request from 'supertest';
import permissionPlugin from '@backstage/plugin-permission-backend';
import permissionModuleHomelabPolicy from './index';

/** Stands in for the catalog-backed sign-in resolution: ref → groups. */
const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const ref = (credentials.principal as { userEntityRef: string })
        .userEntityRef;
      const groups: Record<string, string> = {
        'user:default/alex': 'group:default/home-admins',
        'user:default/sam': 'group:default/family',
      };
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, groups[ref]].filter(Boolean),
      };
    },
  }),
});

describe('permissionModuleHomelabPolicy', () => {
  it('is the policy the permission backend asks', async () => {
    const { server } = await startTestBackend({
      features: [
        permissionPlugin,
        permissionModuleHomelabPolicy,
        userInfoFactory,
        // As in production: a request without a token has no credentials.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        mockServices.rootConfig.factory({
          data: { permission: { enabled: true } },
        }),
      ],
    });
    const ask = async (user: string, name: string, action: string) => {
      const res = await request(server)
        .post('/api/permission/authorize')
        .set('authorization', mockCredentials.user.header(user))
        .send({
          items: [
            {
              id: '1',
              permission: { type: 'basic', name, attributes: { action } },
            },
          ],
        });
      expect(res.status).toBe(200);
      return res.body.items[0].result;
    };
    expect(
      await ask('user:default/alex', 'proxmox.guest.power', 'update'),
    ).toBe('ALLOW');
    expect(await ask('user:default/sam', 'proxmox.guest.power', 'update')).toBe(
      'DENY',
    );
    expect(
      await ask('user:default/sam', 'scaffolder.task.create', 'create'),
    ).toBe('DENY');
    expect(
      await ask('user:default/sam', 'kubernetes.clusters.read', 'read'),
    ).toBe('ALLOW');

    const anonymous = await request(server)
      .post('/api/permission/authorize')
      .send({ items: [] });
    expect(anonymous.status).toBe(401);
  });
});
