import fs from 'node:fs';
import path from 'node:path';
import { createMockActionContext } from '../__testUtils__/actionContext';
import { parse } from 'yaml';
import { capturingLogger } from '../__testUtils__/capture';
import {
  copyFixture,
  fixtureRepo,
  fixturesDir,
  kustomize,
  overlay,
  readTree,
  testConfig,
} from '../__testUtils__/fixtures';
import {
  createSealingKey,
  SealingKey,
  unseal,
} from '../__testUtils__/sealingKeys';
import { parseSealingCertificate } from '../lib/sealing/certificate';
import { encryptionLabel } from '../lib/sealing/seal';
import { createSecretSealAction } from './secretSeal';

const PASSWORD = 'pl41ntext-P@ssw0rd-unique-3b9f';
const binary = Buffer.from([0, 1, 2, 253, 254, 255, 0x0a, 0x22]);

describe('homelab:secret:seal', () => {
  let key: SealingKey;
  beforeAll(async () => {
    key = await createSealingKey();
  });

  async function run(
    layout: 'flux' | 'argocd',
    input: Record<string, unknown>,
  ) {
    const action = createSecretSealAction({
      config: testConfig(),
      openRepo: async () => fixtureRepo(layout),
      fetchCertificate: async () =>
        parseSealingCertificate(key.certPem, 'the controller'),
    });
    const logger = capturingLogger();
    const ctx = createMockActionContext({
      input: { targetPath: 'gitops', ...input } as any,
      secrets: { pw: PASSWORD, blob: binary.toString('base64') },
      logger,
    });
    await action.handler(ctx as any);
    const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    return {
      ctx,
      outputs,
      logger,
      written: readTree(path.join(ctx.workspacePath, 'gitops')),
    };
  }

  it('seals into the Flux app folder, registered in its kustomization, decryptable only for its namespace/name', async () => {
    const { outputs, written, logger } = await run('flux', {
      app: 'jellyfin',
      values: [
        { key: 'JELLYFIN_PASSWORD', secret: 'pw' },
        { key: 'cert.der', secret: 'blob', encoding: 'base64' },
      ],
    });
    expect(outputs).toMatchObject({
      secretName: 'jellyfin-secret',
      secretPath: 'kubernetes/apps/media/jellyfin/app/sealedsecret.yaml',
      namespace: 'media',
      scope: 'strict',
      keys: ['JELLYFIN_PASSWORD', 'cert.der'],
    });
    const file = written.get(
      'kubernetes/apps/media/jellyfin/app/sealedsecret.yaml',
    )!;
    expect(file.split('\n')[1]).toContain('$schema=');
    const sealed = parse(file);
    expect(sealed).toMatchObject({
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: { name: 'jellyfin-secret' },
      spec: {
        template: { metadata: { name: 'jellyfin-secret' }, type: 'Opaque' },
      },
    });
    // Flux's targetNamespace places it; the file carries no namespace.
    expect(sealed.metadata.namespace).toBeUndefined();
    expect(sealed.metadata.annotations).toBeUndefined();
    const label = encryptionLabel('media', 'jellyfin-secret', 'strict');
    expect(
      unseal(
        key.privateKey,
        sealed.spec.encryptedData.JELLYFIN_PASSWORD,
        label,
      ).toString(),
    ).toBe(PASSWORD);
    expect(
      unseal(
        key.privateKey,
        sealed.spec.encryptedData['cert.der'],
        label,
      ).equals(binary),
    ).toBe(true);
    expect(() =>
      unseal(
        key.privateKey,
        sealed.spec.encryptedData.JELLYFIN_PASSWORD,
        encryptionLabel('default', 'jellyfin-secret', 'strict'),
      ),
    ).toThrow();
    expect(
      parse(
        written.get('kubernetes/apps/media/jellyfin/app/kustomization.yaml')!,
      ).resources,
    ).toEqual([
      './helmrelease.yaml',
      './ocirepository.yaml',
      './sealedsecret.yaml',
    ]);

    // The plaintext is nowhere but in the ciphertext.
    const everything = [
      ...written.values(),
      ...logger.lines,
      JSON.stringify(outputs),
    ].join('\n');
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(binary.toString('base64'));
  });

  it('wires envFrom into the app-template container without touching anything else', async () => {
    const { written } = await run('flux', {
      app: 'jellyfin',
      envFrom: true,
      values: [{ key: 'API_KEY', secret: 'pw' }],
    });
    const before = fs.readFileSync(
      path.join(
        fixturesDir,
        'flux/kubernetes/apps/media/jellyfin/app/helmrelease.yaml',
      ),
      'utf8',
    );
    const after = written.get(
      'kubernetes/apps/media/jellyfin/app/helmrelease.yaml',
    )!;
    const added = after
      .split('\n')
      .filter(l => !before.split('\n').includes(l));
    expect(added).toEqual([
      '            envFrom:',
      '              - secretRef:',
      '                  name: jellyfin-secret',
    ]);
    expect(before.split('\n').every(l => after.includes(l))).toBe(true);
  });

  it.each([
    [
      'namespace-wide',
      'sealedsecrets.bitnami.com/namespace-wide',
      Buffer.from('media'),
    ],
    ['cluster-wide', 'sealedsecrets.bitnami.com/cluster-wide', Buffer.alloc(0)],
  ])(
    'marks the %s scope on the object and its template',
    async (scope, annotation, label) => {
      const { written } = await run('flux', {
        app: 'jellyfin',
        scope,
        values: [{ key: 'K', secret: 'pw' }],
      });
      const sealed = parse(
        written.get('kubernetes/apps/media/jellyfin/app/sealedsecret.yaml')!,
      );
      expect(sealed.metadata.annotations).toEqual({ [annotation]: 'true' });
      expect(sealed.spec.template.metadata.annotations).toEqual({
        [annotation]: 'true',
      });
      expect(
        label.equals(encryptionLabel('media', 'any-name', scope as any)),
      ).toBe(true);
      expect(
        unseal(key.privateKey, sealed.spec.encryptedData.K, label).toString(),
      ).toBe(PASSWORD);
    },
  );

  it('Argo CD: explicit namespace, secret-<name>.yaml, Deployment envFrom, builds with kubectl kustomize', async () => {
    const { outputs, written } = await run('argocd', {
      app: 'whoami',
      secretName: 'whoami-token',
      envFrom: true,
      values: [{ key: 'TOKEN', secret: 'pw' }],
    });
    expect(outputs.secretPath).toBe(
      'k8s/apps/dev/whoami/secret-whoami-token.yaml',
    );
    const repo = copyFixture('argocd');
    overlay(repo, written);
    const objects = kustomize(repo, 'k8s/apps/dev/whoami');
    const sealed = objects.find(o => o.kind === 'SealedSecret')!;
    expect(sealed.metadata).toMatchObject({
      name: 'whoami-token',
      namespace: 'whoami',
    });
    expect(sealed.spec.template.metadata.namespace).toBe('whoami');
    expect(
      unseal(
        key.privateKey,
        sealed.spec.encryptedData.TOKEN,
        encryptionLabel('whoami', 'whoami-token', 'strict'),
      ).toString(),
    ).toBe(PASSWORD);
    const deployment = objects.find(o => o.kind === 'Deployment')!;
    expect(deployment.spec.template.spec.containers[0].envFrom).toEqual([
      { secretRef: { name: 'whoami-token' } },
    ]);
    fs.rmSync(repo, { recursive: true, force: true });
  });

  it('dryRun seals in memory and writes nothing', async () => {
    const { written, outputs } = await run('flux', {
      app: 'jellyfin',
      dryRun: true,
      values: [{ key: 'K', secret: 'pw' }],
    });
    expect(written.size).toBe(0);
    expect(outputs.secretPath).toBe(
      'kubernetes/apps/media/jellyfin/app/sealedsecret.yaml',
    );
  });
});
