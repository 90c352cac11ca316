import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';
import { parse } from 'yaml';
import { testConfig } from './__testUtils__/fixtures';
import { createAppGenerateAction } from './actions/appGenerate';
import { createGiteaPullRequestAction } from './actions/giteaPullRequest';
import { createPullRequestDescribeAction } from './actions/pullRequestDescribe';
import { createPullRequestStatusAction } from './actions/pullRequestStatus';
import { createRouteGenerateAction } from './actions/routeGenerate';
import { createSecretSealAction } from './actions/secretSeal';
import { checkHostname } from './lib/validation/hostname';
import { checkImage } from './lib/validation/image';
import {
  checkAppName,
  checkEnvName,
  checkMountPath,
  checkNamespace,
  checkObjectName,
  checkPort,
  checkSecretKey,
  checkStorageSize,
} from './lib/validation/names';
import { Problems } from './lib/validation/problems';
import {
  MAX_SECRET_VALUE_LENGTH,
  MAX_SECRETS_TOTAL_LENGTH,
} from './lib/secretLimits';

/** The software templates in templates/, checked against the actions they call. */
const templatesDir = path.resolve(__dirname, '../../../templates');
const load = (file: string) =>
  parse(fs.readFileSync(path.join(templatesDir, file), 'utf8'));
const templates = ['add-app', 'add-sealed-secret', 'expose-app'].map(name => ({
  name,
  entity: load(`${name}/template.yaml`),
}));

const config = testConfig();
const never = async () => {
  throw new Error('not called');
};
const homelabActions = new Map(
  [
    createAppGenerateAction({ config, openRepo: never }),
    createSecretSealAction({
      config,
      openRepo: never,
      fetchCertificate: never,
    }),
    createRouteGenerateAction({ config, openRepo: never }),
    createGiteaPullRequestAction({ integrations: {} as any }),
    createPullRequestStatusAction({ integrations: {} as any }),
    createPullRequestDescribeAction(),
  ].map(a => [a.id, a]),
);

/** Every property of every form page, with the page's dependency branches. */
function fieldsOf(entity: any): [string, any][] {
  const fields: [string, any][] = [];
  const visit = (schema: any) => {
    fields.push(...Object.entries<any>(schema?.properties ?? {}));
    for (const dep of Object.values<any>(schema?.dependencies ?? {})) {
      visit(dep);
      (dep?.oneOf ?? []).forEach(visit);
    }
  };
  [entity.spec.parameters].flat().forEach(visit);
  return fields;
}

describe('templates/', () => {
  it.each(templates)(
    '$name: every secret field has the size limit the backend enforces',
    ({ entity }) => {
      const secretFields = fieldsOf(entity).filter(
        ([, f]) => f['ui:field'] === 'Secret',
      );
      for (const [name, field] of secretFields) {
        expect([name, field.maxLength]).toEqual([
          name,
          MAX_SECRET_VALUE_LENGTH,
        ]);
      }
      // A form filled to the brim must pass the backend's total too.
      expect(secretFields.length * MAX_SECRET_VALUE_LENGTH).toBeLessThanOrEqual(
        MAX_SECRETS_TOTAL_LENGTH,
      );
    },
  );

  it('registers every template through templates/all.yaml', () => {
    const location = load('all.yaml');
    expect(location.kind).toBe('Location');
    expect(location.spec.targets.sort()).toEqual(
      templates.map(t => `./${t.name}/template.yaml`).sort(),
    );
  });

  it.each(templates)(
    '$name is a valid v1beta3 Template',
    async ({ entity }) => {
      expect(await templateEntityV1beta3Validator.check(entity)).toBe(true);
    },
  );

  it.each(templates)(
    '$name only passes inputs its homelab actions declare',
    ({ entity }) => {
      const known = new Set([
        ...homelabActions.keys(),
        'publish:github:pull-request',
        'catalog:fetch',
      ]);
      for (const step of entity.spec.steps) {
        expect(known).toContain(step.action);
        const action = homelabActions.get(step.action);
        if (!action) continue;
        const declared = Object.keys(
          (action.schema?.input as any)?.properties ?? {},
        );
        for (const key of Object.keys(step.input))
          expect(declared).toContain(key);
        for (const required of (action.schema?.input as any)?.required ?? []) {
          expect(Object.keys(step.input)).toContain(required);
        }
      }
    },
  );

  it.each(templates)(
    '$name offers both forges and never renders secrets',
    ({ entity }) => {
      const actions = entity.spec.steps.map((s: any) => s.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          'publish:github:pull-request',
          'homelab:gitea:pull-request',
        ]),
      );
      // Values are read by the action from ctx.secrets; the template never renders them.
      expect(JSON.stringify(entity.spec.steps)).not.toMatch(/secrets\./);
    },
  );

  it.each(templates.filter(t => t.name !== 'expose-app'))(
    '$name asks for values with the Secret field',
    ({ entity }) => {
      const valueFields = entity.spec.parameters.flatMap((step: any) =>
        Object.entries<any>(step.properties ?? {}).filter(([key]) =>
          /^secretValue/.test(key),
        ),
      );
      expect(valueFields.length).toBeGreaterThan(0);
      expect(valueFields.map(([, schema]: any) => schema['ui:field'])).toEqual(
        valueFields.map(() => 'Secret'),
      );
    },
  );

  describe('the add-app form refuses what homelab:app:generate refuses', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const addApp = templates[0].entity;
    /** A property's schema anywhere in the form (steps, nested objects, dependencies). */
    function field(name: string): any {
      const [head, ...rest] = name.split('.');
      const search = (node: any): any => {
        if (!node || typeof node !== 'object') return undefined;
        if (node.properties?.[head]?.type) return node.properties[head];
        for (const child of Object.values(node)) {
          const found = search(child);
          if (found) return found;
        }
        return undefined;
      };
      let schema = search(addApp.spec.parameters);
      for (const part of rest) schema = schema.properties[part];
      return schema;
    }
    const form = (name: string, value: unknown) =>
      ajv.validate(field(name), value);
    const backend = (check: (p: Problems) => void) => {
      const p = new Problems();
      check(p);
      return p.empty;
    };
    const reserved = config.reservedNamespaces;

    it.each([
      ['name', 'mealie', (v: any, p: Problems) => checkAppName(p, 'name', v)],
      ['name', 'My_App', (v: any, p: Problems) => checkAppName(p, 'name', v)],
      ['name', '1app', (v: any, p: Problems) => checkAppName(p, 'name', v)],
      [
        'name',
        `a${'b'.repeat(53)}`,
        (v: any, p: Problems) => checkAppName(p, 'name', v),
      ],
      [
        'namespace',
        'kitchen',
        (v: any, p: Problems) => checkNamespace(p, 'namespace', v, reserved),
      ],
      [
        'namespace',
        'kube-system',
        (v: any, p: Problems) => checkNamespace(p, 'namespace', v, reserved),
      ],
      [
        'namespace',
        'kube-tools',
        (v: any, p: Problems) => checkNamespace(p, 'namespace', v, reserved),
      ],
      [
        'namespace',
        'flux-system',
        (v: any, p: Problems) => checkNamespace(p, 'namespace', v, reserved),
      ],
      [
        'namespace',
        'argocd',
        (v: any, p: Problems) => checkNamespace(p, 'namespace', v, reserved),
      ],
      [
        'namespace',
        'Media',
        (v: any, p: Problems) => checkNamespace(p, 'namespace', v, reserved),
      ],
      [
        'image',
        'ghcr.io/mealie-recipes/mealie:v3.4.0',
        (v: any, p: Problems) => checkImage(p, 'image', v),
      ],
      [
        'image',
        'localhost:5000/tools/app:1',
        (v: any, p: Problems) => checkImage(p, 'image', v),
      ],
      [
        'image',
        `ghcr.io/org/app:1.0@sha256:${'a'.repeat(64)}`,
        (v: any, p: Problems) => checkImage(p, 'image', v),
      ],
      ['image', 'nginx', (v: any, p: Problems) => checkImage(p, 'image', v)],
      [
        'image',
        'nginx:latest',
        (v: any, p: Problems) => checkImage(p, 'image', v),
      ],
      [
        'image',
        'ghcr.io/Org/app:1',
        (v: any, p: Problems) => checkImage(p, 'image', v),
      ],
      ['port', 8080, (v: any, p: Problems) => checkPort(p, 'port', v)],
      ['port', 0, (v: any, p: Problems) => checkPort(p, 'port', v)],
      ['port', 65536, (v: any, p: Problems) => checkPort(p, 'port', v)],
      [
        'subdomain',
        'recipes',
        (v: any, p: Problems) =>
          checkHostname(p, 'hostname', `${v}.home.example.org`, [
            'home.example.org',
          ]),
      ],
      [
        'subdomain',
        'a.recipes',
        (v: any, p: Problems) =>
          checkHostname(p, 'hostname', `${v}.home.example.org`, [
            'home.example.org',
          ]),
      ],
      [
        'subdomain',
        'Recipes',
        (v: any, p: Problems) =>
          checkHostname(p, 'hostname', `${v}.home.example.org`, [
            'home.example.org',
          ]),
      ],
      [
        'persistence.size',
        '5Gi',
        (v: any, p: Problems) => checkStorageSize(p, 's', v),
      ],
      [
        'persistence.size',
        '5GB',
        (v: any, p: Problems) => checkStorageSize(p, 's', v),
      ],
      [
        'persistence.size',
        '0Gi',
        (v: any, p: Problems) => checkStorageSize(p, 's', v),
      ],
      [
        'persistence.mountPath',
        '/app/data',
        (v: any, p: Problems) => checkMountPath(p, 'm', v),
      ],
      [
        'persistence.mountPath',
        'data',
        (v: any, p: Problems) => checkMountPath(p, 'm', v),
      ],
      [
        'secretKey1',
        'DB_PASSWORD',
        (v: any, p: Problems) => checkSecretKey(p, 'k', v),
      ],
      [
        'secretKey1',
        'db password',
        (v: any, p: Problems) => checkSecretKey(p, 'k', v),
      ],
      [
        'category',
        'media',
        (v: any, p: Problems) => checkObjectName(p, 'c', v),
      ],
    ] as Array<[string, unknown, (v: any, p: Problems) => void]>)(
      '%s = %j',
      (name, value, check) => {
        expect(form(name, value)).toBe(backend(p => check(value, p)));
      },
    );

    it('env names', () => {
      const schema = field('env').items.properties.name;
      for (const v of ['TZ_X', 'A1', '_X', '1A', 'A-B', 'A B']) {
        expect(ajv.validate(schema, v)).toBe(
          backend(p => checkEnvName(p, 'e', v)),
        );
      }
    });

    it('hostname domains are the configured ones', () => {
      expect(field('domain').enum).toEqual(config.allowedDomains);
      expect(
        field('exposure')
          .enum.filter((e: string) => e !== 'none')
          .sort(),
      ).toEqual(Object.keys(config.gateways).sort());
    });
  });
});
