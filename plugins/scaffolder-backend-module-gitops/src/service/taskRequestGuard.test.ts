import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import request from 'supertest';
import { parse } from 'yaml';
import { scaffolderGitopsFeatures } from '../features';

// A whole backend with the real scaffolder behind the guard.
jest.setTimeout(60_000);

// eslint-disable-next-line no-restricted-syntax
const repoRoot = path.resolve(__dirname, '../../../..');
const addApp = parse(
  fs.readFileSync(
    path.join(repoRoot, 'templates/add-app/template.yaml'),
    'utf8',
  ),
) as Entity;

/** A template whose only step is a homelab action that refuses its input. */
const refusing: Entity = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'refusing', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/home-admins',
    parameters: [],
    steps: [
      {
        id: 'route',
        name: 'A route for an app that is not valid',
        action: 'homelab:route:generate',
        input: {
          repoUrl: 'home-ops/home-ops',
          app: 'Bad_App',
          hostname: 'nope.example.com',
        },
      },
    ],
  },
};

const validValues = {
  name: 'mealie',
  description: 'Recipes',
  owner: 'group:default/home-admins',
  namespace: 'default',
  image: 'ghcr.io/mealie-recipes/mealie:v3.4.0',
  port: 9000,
  exposure: 'none',
  repository: 'home-ops/home-ops',
  forge: 'github',
};

describe('the task request guard in front of the scaffolder', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;
  const logged: string[] = [];

  beforeAll(async () => {
    const logger = mockServices.rootLogger.factory({ level: 'debug' });
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderGitopsFeatures,
        catalogServiceMock.factory({
          entities: [
            {
              ...addApp,
              metadata: { ...addApp.metadata, namespace: 'default' },
            },
            refusing,
          ],
        }),
        logger,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            scaffolder: { taskRecovery: { enabled: false } },
            homelab: {
              gitops: {
                allowedDomains: ['home.example.org'],
                gateways: {
                  internal: { name: 'internal', namespace: 'kube-system' },
                },
                sealedSecrets: {
                  certificateSource: 'static',
                  certificate: 'unused',
                },
              },
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    const write = process.stdout.write.bind(process.stdout);
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk, ...rest) => {
      logged.push(String(chunk));
      return write(chunk, ...(rest as []));
    });
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await stop?.();
  });

  const create = (body: object) =>
    request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('content-type', 'application/json')
      .send(body);

  it.each([
    ['40 KB', 40 * 1024],
    ['1 MiB', 1024 * 1024],
  ])(
    'refuses a %s secret with a message naming the field, before anything is stored',
    async (_, size) => {
      const canary = `canary-${crypto.randomBytes(8).toString('hex')}`;
      const value = canary.repeat(Math.ceil(size / canary.length));
      const res = await create({
        templateRef: 'template:default/add-app',
        values: { ...validValues, secretKey1: 'DB_PASSWORD' },
        secrets: { secretValue1: value },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        `The secrets of this form were not accepted: "Secret 1 value" is ${value.length.toLocaleString(
          'en-US',
        )} characters long; a secret value may be at most 8,192 characters (8 KiB); the secrets add up to ${value.length.toLocaleString(
          'en-US',
        )} characters; together they may be at most 24,576 (24 KiB). Nothing was run or stored.`,
      );
      expect(res.text).not.toContain(canary);
      const tasks = await request(server).get('/api/scaffolder/v2/tasks');
      expect(tasks.body.tasks).toEqual([]);
      expect(logged.join('')).not.toContain(canary);
    },
  );

  it('refuses oversized secrets in a dry run too', async () => {
    const res = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .send({
        template: addApp,
        values: validValues,
        secrets: { a: 'x'.repeat(9000), b: 'y'.repeat(9000) },
        directoryContents: [],
      });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      '"a" is 9,000 characters long; a secret value may be at most 8,192',
    );
  });

  // The scaffolder stops at the first form page with a problem.
  it.each([
    [
      { name: 'My_App' },
      '"Name": "My_App" is not allowed (Folder, release and Service name. Lowercase letters, digits and "-", starting with a letter.)',
    ],
    [{ port: 70000 }, '"Port" must be at most 65535'],
    [
      { exposure: 'internal' },
      '"Hostname" is required when "Reachable" is "At home only (internal Gateway)"; "Domain" is required when "Reachable" is "At home only (internal Gateway)"',
    ],
    [
      { secretKey1: 'DB_PASSWORD' },
      '"Secret 1 value" is required when "Secret 1 name" is filled in',
    ],
    [
      { forge: 'gitlab' },
      '"Open the pull request on" must be one of "GitHub (API v3)", "Gitea / Forgejo (API v1)"',
    ],
  ])(
    'answers a bad form (%j) with a sentence naming the field by its title',
    async (change, sentence) => {
      const res = await create({
        templateRef: 'template:default/add-app',
        values: { ...validValues, ...change },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(`The form has problems: ${sentence}`);
      expect(res.text).not.toMatch(/instance\.|does not meet dependency/);
    },
  );

  it('lets a good request through to the scaffolder', async () => {
    const res = await create({
      templateRef: 'template:default/add-app',
      values: {
        ...validValues,
        secretKey1: 'DB_PASSWORD',
        secretValue1: '******',
      },
      secrets: { secretValue1: 'hunter22' },
    });
    expect(res.status).toBe(201);
  });

  it('writes a refusal into the task log without a stack trace, with three secrets at the limit', async () => {
    // Within the limits the scaffolder's redaction pattern still compiles
    // (random text: a repeated character compiles to a much smaller pattern).
    const full = (tag: string) =>
      tag + crypto.randomBytes(8192).toString('base64').slice(tag.length, 8192);
    const created = await create({
      templateRef: 'template:default/refusing',
      values: {},
      secrets: { a: full('a'), b: full('b'), c: full('c') },
    });
    expect(created.status).toBe(201);
    let events: { type: string; body: { message?: string } }[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await request(server).get(
        `/api/scaffolder/v2/tasks/${created.body.id}/events`,
      );
      events = res.body;
      if (events.some(e => e.type === 'completion')) break;
      await new Promise(r => setTimeout(r, 200));
    }
    const text = events.map(e => e.body.message ?? '').join('\n');
    expect(text).toContain('The route refused');
    expect(text).not.toMatch(/\n\s+at /);
    expect(text).not.toContain('Invalid regular expression');
    expect(text).not.toContain(repoRoot);
  });
});
