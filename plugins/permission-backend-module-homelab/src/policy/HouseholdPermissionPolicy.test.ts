import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
  Permission,
} from '@backstage/plugin-permission-common';
import { catalogPermissions } from '@backstage/plugin-catalog-common/alpha';
import { kubernetesPermissions } from '@backstage/plugin-kubernetes-common';
import {
  scaffolderPermissions,
  templateDryRunPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  proxmoxGuestPowerPermission,
  proxmoxPermissions,
  proxmoxReadPermission,
} from '@homelab-portal/plugin-proxmox-common';
import {
  talosClusterReadPermission,
  talosPermissions,
} from '@homelab-portal/plugin-talos-common';
import { gitopsStatusReadPermission } from '@homelab-portal/plugin-gitops-common';
import { UserInfoService } from '@backstage/backend-plugin-api';
import { HouseholdPermissionPolicy } from './HouseholdPermissionPolicy';
import { DEFAULT_POLICY_OPTIONS, readPolicyOptions } from './roles';

/** The household from catalog/org: who is in which group. */
const memberships: Record<string, string[]> = {
  'user:default/alex': ['group:default/home-admins'],
  'user:default/sam': ['group:default/family'],
  'user:default/both': ['group:default/family', 'group:default/home-admins'],
  'user:default/visitor': [],
};

const userInfo: UserInfoService = {
  async getUserInfo(credentials) {
    const ref = (credentials.principal as { userEntityRef: string })
      .userEntityRef;
    return {
      userEntityRef: ref,
      ownershipEntityRefs: [ref, ...(memberships[ref] ?? [])],
    };
  },
};

function userFor(ref: string) {
  return {
    credentials: mockCredentials.user(ref),
    // Deprecated and deliberately wrong: the policy must ask userInfo.
    info: { userEntityRef: ref, ownershipEntityRefs: [] },
  };
}

const policy = new HouseholdPermissionPolicy(userInfo, DEFAULT_POLICY_OPTIONS);
const decide = (permission: Permission, ref?: string) =>
  policy.handle({ permission }, ref ? userFor(ref) : undefined);

// Read permissions a family member must not get although they say "read":
// the policy allows what it imports, not what a name looks like.
const talosConfig = createPermission({
  name: 'talos.machineconfig.read',
  attributes: { action: 'read' },
});
const proxmoxConsole = createPermission({
  name: 'proxmox.console.read',
  attributes: { action: 'read' },
});
const unknownRead = createPermission({
  name: 'someplugin.things.read',
  attributes: { action: 'read' },
});

const everything: Permission[] = [
  ...catalogPermissions,
  ...kubernetesPermissions,
  ...scaffolderPermissions,
  ...proxmoxPermissions,
  ...talosPermissions,
  gitopsStatusReadPermission,
  talosConfig,
  proxmoxConsole,
  unknownRead,
];

describe('HouseholdPermissionPolicy', () => {
  it('denies every permission to a request without a user', async () => {
    for (const permission of everything) {
      expect(await decide(permission)).toEqual({
        result: AuthorizeResult.DENY,
      });
    }
  });

  it('allows home-admins everything, dry-runs and power actions included', async () => {
    for (const permission of [
      ...everything,
      templateDryRunPermission,
      proxmoxGuestPowerPermission,
    ]) {
      expect(await decide(permission, 'user:default/alex')).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('treats someone in both groups as an admin', async () => {
    expect(
      await decide(proxmoxGuestPowerPermission, 'user:default/both'),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('denies everything to a signed-in user in neither group', async () => {
    for (const permission of everything) {
      expect(await decide(permission, 'user:default/visitor')).toEqual({
        result: AuthorizeResult.DENY,
      });
    }
  });

  describe('family', () => {
    const sam = 'user:default/sam';

    it('reads the catalog except entities that describe secrets', async () => {
      const read = catalogPermissions.find(
        p => p.name === 'catalog.entity.read',
      )!;
      expect(await decide(read, sam)).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          not: {
            anyOf: [
              {
                rule: 'HAS_SPEC',
                resourceType: 'catalog-entity',
                params: { key: 'type', value: 'sealed-secret' },
              },
              {
                rule: 'HAS_SPEC',
                resourceType: 'catalog-entity',
                params: { key: 'type', value: 'secret' },
              },
            ],
          },
        },
      });
    });

    it('sees app status through the Kubernetes plugin, but not its proxy', async () => {
      const byName = (n: string) =>
        kubernetesPermissions.find(p => p.name === n)!;
      for (const n of [
        'kubernetes.clusters.read',
        'kubernetes.resources.read',
      ]) {
        expect(await decide(byName(n), sam)).toEqual({
          result: AuthorizeResult.ALLOW,
        });
      }
      expect(await decide(byName('kubernetes.proxy'), sam)).toEqual({
        result: AuthorizeResult.DENY,
      });
    });

    it('cannot run, read or manage templates, nor see task logs', async () => {
      for (const permission of [
        ...scaffolderPermissions,
        templateDryRunPermission,
      ]) {
        expect(await decide(permission, sam)).toEqual({
          result: AuthorizeResult.DENY,
        });
      }
    });

    it('cannot change the catalog', async () => {
      for (const permission of catalogPermissions.filter(
        p => !['catalog.entity.read', 'catalog.location.read'].includes(p.name),
      )) {
        expect(await decide(permission, sam)).toEqual({
          result: AuthorizeResult.DENY,
        });
      }
    });

    it('cannot power guests, and reads the Proxmox and Talos views only', async () => {
      expect(await decide(proxmoxGuestPowerPermission, sam)).toEqual({
        result: AuthorizeResult.DENY,
      });
      for (const permission of [talosConfig, proxmoxConsole]) {
        expect(await decide(permission, sam)).toEqual({
          result: AuthorizeResult.DENY,
        });
      }
      for (const permission of [
        proxmoxReadPermission,
        talosClusterReadPermission,
      ]) {
        expect(await decide(permission, sam)).toEqual({
          result: AuthorizeResult.ALLOW,
        });
      }
    });

    it('reads delivery status, drift, certificates and pending updates', async () => {
      expect(await decide(gitopsStatusReadPermission, sam)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    });

    it('is denied permissions of plugins the policy does not know', async () => {
      expect(await decide(unknownRead, sam)).toEqual({
        result: AuthorizeResult.DENY,
      });
    });
  });

  it('keeps guests with a protected tag out of every power action, admins included', async () => {
    const guarded = new HouseholdPermissionPolicy(userInfo, {
      ...DEFAULT_POLICY_OPTIONS,
      protectedGuestTags: ['router', 'controlplane'],
    });
    expect(
      await guarded.handle(
        { permission: proxmoxGuestPowerPermission },
        userFor('user:default/alex'),
      ),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        not: {
          anyOf: [
            {
              rule: 'HAS_METADATA',
              resourceType: 'catalog-entity',
              params: { key: 'tags', value: 'router' },
            },
            {
              rule: 'HAS_METADATA',
              resourceType: 'catalog-entity',
              params: { key: 'tags', value: 'controlplane' },
            },
          ],
        },
      },
    });
    expect(
      await guarded.handle(
        { permission: proxmoxReadPermission },
        userFor('user:default/alex'),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('takes groups and secret entity types from config, case-insensitively', async () => {
    const options = readPolicyOptions(
      new ConfigReader({
        permission: {
          homelab: {
            adminGroups: ['group:default/Parents'],
            familyGroups: ['group:default/kids'],
            secretEntityTypes: [],
          },
        },
      }),
    );
    const custom = new HouseholdPermissionPolicy(
      {
        async getUserInfo(credentials) {
          const ref = (credentials.principal as { userEntityRef: string })
            .userEntityRef;
          return {
            userEntityRef: ref,
            ownershipEntityRefs:
              ref === 'user:default/mum'
                ? [ref, 'group:default/parents']
                : [ref, 'group:default/kids'],
          };
        },
      },
      options,
    );
    expect(
      await custom.handle(
        { permission: proxmoxGuestPowerPermission },
        userFor('user:default/mum'),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    const read = catalogPermissions.find(
      p => p.name === 'catalog.entity.read',
    )!;
    // No secret entity types configured: a plain allow, no condition.
    expect(
      await custom.handle({ permission: read }, userFor('user:default/kid')),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    // The default groups no longer count.
    expect(
      await custom.handle(
        { permission: proxmoxGuestPowerPermission },
        userFor('user:default/alex'),
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
  });
});
