import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPublishGithubPullRequestAction } from '@backstage/plugin-scaffolder-backend-module-github';
import { createMockActionContext } from '../__testUtils__/actionContext';
import { parse, parseAllDocuments } from 'yaml';
import { kustomize, overlay, readTree } from '../__testUtils__/fixtures';
import {
  git,
  SimUnderTest,
  startSim,
  verifyWithController,
} from '../__testUtils__/sim';
import { SealingCertificateSource } from '../lib/sealing/certificateSource';
import { createAppGenerateAction } from './appGenerate';
import { createGiteaPullRequestAction } from './giteaPullRequest';
import { createSecretSealAction } from './secretSeal';

/**
 * The actions against the demo homelab: its forge (real bare git
 * repositories, GitHub and Gitea APIs) and its Kubernetes API with the
 * sealed-secrets controller behind the service proxy.
 */
jest.setTimeout(180_000);

describe('homelab actions against the demo homelab', () => {
  let s: SimUnderTest;
  const dirs: string[] = [];
  const tmp = (name: string) => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), `gitops-${name}-`));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    s = await startSim();
  });
  afterAll(async () => {
    await s?.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  const repoUrl = (repo: string) =>
    `${s.forgeHost}?owner=home-ops&repo=${repo}`;
  const actions = () => ({
    generate: createAppGenerateAction({
      config: s.config,
      openRepo: s.openRepo,
    }),
    seal: createSecretSealAction({
      config: s.config,
      openRepo: s.openRepo,
      fetchCertificate: () =>
        new SealingCertificateSource(
          s.config.sealedSecrets,
          s.clusters,
        ).fetch(),
    }),
    pr: createGiteaPullRequestAction({ integrations: s.integrations }),
  });

  async function run(
    action: any,
    input: Record<string, unknown>,
    workspacePath: string,
    secrets?: Record<string, string>,
  ) {
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath,
      secrets,
    });
    await action.handler(ctx);
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  const app = (repo: string, extra: Record<string, unknown> = {}) => ({
    repoUrl: repoUrl(repo),
    name: 'kitchenowl',
    title: 'KitchenOwl',
    description: 'Shopping lists and recipes.',
    owner: 'group:home-admins',
    namespace: 'productivity',
    image: 'docker.io/tombursch/kitchenowl:v0.7.4',
    port: 9000,
    hostname: 'kitchen.home.example.org',
    exposure: 'internal',
    persistence: { size: '2Gi', mountPath: '/app/data' },
    secretName: 'kitchenowl-secret',
    targetPath: 'gitops',
    ...extra,
  });

  it('generates a Flux app from the seeded repo in its style; the tree builds with kubectl kustomize', async () => {
    const { generate, seal } = actions();
    const ws = tmp('ws');
    const out = await run(generate, app('home-ops'), ws);
    expect(out.layout).toBe('flux');
    expect(out.updatedFiles).toEqual([
      'kubernetes/apps/productivity/kustomization.yaml',
    ]);
    const written = readTree(path.join(ws, 'gitops'));
    const ks = parse(
      written.get('kubernetes/apps/productivity/kitchenowl/ks.yaml')!,
    );
    // The seeded repo's conventions are copied: commonMetadata labels, timeout.
    expect(ks.spec).toMatchObject({
      commonMetadata: { labels: { 'app.kubernetes.io/name': 'kitchenowl' } },
      timeout: '5m',
      targetNamespace: 'productivity',
    });
    const hr = parse(
      written.get(
        'kubernetes/apps/productivity/kitchenowl/app/helmrelease.yaml',
      )!,
    );
    expect(hr.spec.values.global).toEqual({
      labels: { 'backstage.io/kubernetes-id': 'kitchenowl' },
    });
    const entity = parse(
      written.get('kubernetes/apps/productivity/kitchenowl/catalog-info.yaml')!,
    );
    expect(entity.metadata.annotations['backstage.io/kubernetes-id']).toBe(
      'kitchenowl',
    );
    expect(entity.metadata.annotations['backstage.io/source-location']).toBe(
      `url:https://${s.forgeHost}/home-ops/home-ops/tree/main/kubernetes/apps/productivity/kitchenowl`,
    );

    await run(
      seal,
      {
        repoUrl: repoUrl('home-ops'),
        app: 'kitchenowl',
        values: [{ key: 'MEALIE_DB_PASSWORD', secret: 'dbPassword' }],
        targetPath: 'gitops',
      },
      ws,
      { dbPassword: 'correct horse battery staple' },
    );
    const clone = tmp('clone');
    await git(s, [
      'clone',
      '--quiet',
      '--depth=1',
      `${s.forgeUrl}/home-ops/home-ops.git`,
      clone,
    ]);
    overlay(clone, readTree(path.join(ws, 'gitops')));
    const ns = kustomize(clone, 'kubernetes/apps/productivity');
    expect(ns.map(o => `${o.kind}/${o.metadata.name}`)).toContain(
      'Kustomization/kitchenowl',
    );
    const objects = kustomize(
      clone,
      'kubernetes/apps/productivity/kitchenowl/app',
    );
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'HelmRelease/kitchenowl',
      'OCIRepository/kitchenowl',
      'SealedSecret/kitchenowl-secret',
    ]);
  });

  it("seals with the controller's certificate; the controller verifies each scope and refuses another namespace", async () => {
    const { generate, seal } = actions();
    for (const scope of ['strict', 'namespace-wide', 'cluster-wide'] as const) {
      const ws = tmp(`seal-${scope}`);
      await run(generate, app('home-ops'), ws);
      const out = await run(
        seal,
        {
          repoUrl: repoUrl('home-ops'),
          app: 'kitchenowl',
          scope,
          values: [
            { key: 'PASSWORD', secret: 'pw' },
            { key: 'key.bin', secret: 'bin', encoding: 'base64' },
          ],
          targetPath: 'gitops',
        },
        ws,
        { pw: 'p@ss', bin: Buffer.from([0, 255, 1, 254]).toString('base64') },
      );
      expect(out.certificateFingerprint).toMatch(/^[0-9A-F:]+$/);
      const [doc] = parseAllDocuments(
        fs.readFileSync(path.join(ws, 'gitops', out.secretPath), 'utf8'),
      ).map(d => d.toJS());
      // Flux leaves the namespace to targetNamespace; the cluster object has it.
      expect(doc.metadata.namespace).toBeUndefined();
      const inCluster = {
        ...doc,
        metadata: { ...doc.metadata, namespace: 'productivity' },
      };
      expect(await verifyWithController(s, inCluster)).toBe(200);
      const elsewhere = {
        ...doc,
        metadata: { ...doc.metadata, namespace: 'media' },
      };
      expect(await verifyWithController(s, elsewhere)).toBe(
        scope === 'cluster-wide' ? 200 : 409,
      );
    }
  });

  it("proxies by port name as the sealed-secrets chart's Role requires, and reports its 403 otherwise", async () => {
    // The chart's service-proxier Role lets the portal proxy only to
    // `http:<name>:http`, `http:<name>:` and `<name>`, and read only the
    // Service <name>: a port number configured by hand is mapped to its
    // name first (a real cluster answers 403 to `http:<name>:8080`).
    const byNumber = {
      ...s.config.sealedSecrets,
      controller: { ...s.config.sealedSecrets.controller, port: '8080' },
    };
    await expect(
      new SealingCertificateSource(byNumber, s.clusters).fetch(),
    ).resolves.toBeTruthy();
    // A port the Service does not have stays a number: RBAC refuses it.
    const wrongPort = {
      ...s.config.sealedSecrets,
      controller: { ...s.config.sealedSecrets.controller, port: '9999' },
    };
    await expect(
      new SealingCertificateSource(wrongPort, s.clusters).fetch(),
    ).rejects.toThrow(
      /answered HTTP 403 through the Kubernetes API; the portal needs get on services and get\/create on services\/proxy/,
    );
  });

  it('opens a Gitea pull request with the change and reports it, not a second one, on a re-run', async () => {
    const { generate, seal, pr } = actions();
    const ws = tmp('pr');
    const gen = await run(
      generate,
      app('home-ops', {
        name: 'miniflux',
        hostname: 'feeds.home.example.org',
        secretName: undefined,
      }),
      ws,
    );
    await run(
      seal,
      {
        repoUrl: repoUrl('home-ops'),
        app: 'miniflux',
        envFrom: true,
        values: [{ key: 'ADMIN_PASSWORD', secret: 'pw' }],
        targetPath: 'gitops',
      },
      ws,
      { pw: 'sup3r-secret-value' },
    );
    const input = {
      repoUrl: repoUrl('home-ops'),
      branchName: gen.branchName,
      title: gen.title,
      description: gen.description,
      sourcePath: 'gitops',
    };
    const first = await run(pr, input, ws);
    expect(first.created).toBe(true);
    expect(first.remoteUrl).toMatch(
      new RegExp(`^${s.forgeUrl}/home-ops/home-ops/pulls/\\d+$`),
    );
    const head = await git(s, [
      'ls-remote',
      `${s.forgeUrl}/home-ops/home-ops.git`,
      `refs/heads/${gen.branchName}`,
    ]);
    const second = await run(pr, input, ws);
    expect(second).toMatchObject({
      created: false,
      pullRequestNumber: first.pullRequestNumber,
      remoteUrl: first.remoteUrl,
    });
    // Nothing was pushed the second time.
    expect(
      await git(s, [
        'ls-remote',
        `${s.forgeUrl}/home-ops/home-ops.git`,
        `refs/heads/${gen.branchName}`,
      ]),
    ).toBe(head);

    // The branch builds, and its helmrelease reads the sealed secret.
    const clone = tmp('pr-clone');
    await git(s, [
      'clone',
      '--quiet',
      '--branch',
      gen.branchName,
      `${s.forgeUrl}/home-ops/home-ops.git`,
      clone,
    ]);
    const objects = kustomize(
      clone,
      'kubernetes/apps/productivity/miniflux/app',
    );
    const hr = objects.find(o => o.kind === 'HelmRelease')!;
    expect(hr.spec.values.controllers.miniflux.containers.app.envFrom).toEqual([
      { secretRef: { name: 'miniflux-secret' } },
    ]);
    expect(
      objects.find(o => o.kind === 'SealedSecret')!.spec.encryptedData
        .ADMIN_PASSWORD,
    ).toMatch(/^A[gQ]/);
    expect(await git(s, ['log', '--all', '-p'], clone)).not.toContain(
      'sup3r-secret-value',
    );
  });

  it('hands its workspace to the upstream publish:github:pull-request unchanged', async () => {
    const { generate } = actions();
    const ws = tmp('gh');
    const gen = await run(
      generate,
      app('home-ops', {
        name: 'firefly',
        hostname: 'money.home.example.org',
        namespace: 'finance',
        secretName: undefined,
      }),
      ws,
    );
    expect(gen.namespaceCreated).toBe(true);
    const publish = createPublishGithubPullRequestAction({
      integrations: s.integrations,
    });
    const out = await run(
      publish,
      {
        repoUrl: repoUrl('home-ops'),
        branchName: gen.branchName,
        title: gen.title,
        description: gen.description,
        sourcePath: 'gitops',
      },
      ws,
    );
    expect(out.remoteUrl).toContain('/home-ops/home-ops/pull');
    const clone = tmp('gh-clone');
    await git(s, [
      'clone',
      '--quiet',
      '--depth=1',
      '--branch',
      gen.branchName,
      `${s.forgeUrl}/home-ops/home-ops.git`,
      clone,
    ]);
    const ns = kustomize(clone, 'kubernetes/apps/finance');
    expect(ns.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Kustomization/firefly',
      'Namespace/finance',
    ]);
    expect(kustomize(clone, 'kubernetes/apps/finance/firefly/app').length).toBe(
      2,
    );
  });

  it('generates for the seeded Argo CD repo: raw manifests, the AppProject lists the namespace', async () => {
    const { generate, seal } = actions();
    const ws = tmp('argo');
    const out = await run(
      generate,
      app('k8s-gitops', {
        name: 'wallabag',
        namespace: 'productivity',
        category: 'productivity',
        hostname: 'read.home.example.org',
        secretName: 'wallabag-secret',
      }),
      ws,
    );
    expect(out.layout).toBe('argocd');
    const sealed = await run(
      seal,
      {
        repoUrl: repoUrl('k8s-gitops'),
        app: 'wallabag',
        values: [{ key: 'PW', secret: 'pw' }],
        targetPath: 'gitops',
      },
      ws,
      { pw: 'x' },
    );
    expect(sealed.secretPath).toBe(
      'k8s/apps/productivity/wallabag/secret-wallabag-secret.yaml',
    );
    const clone = tmp('argo-clone');
    await git(s, [
      'clone',
      '--quiet',
      '--depth=1',
      `${s.forgeUrl}/home-ops/k8s-gitops.git`,
      clone,
    ]);
    overlay(clone, readTree(path.join(ws, 'gitops')));
    const objects = kustomize(clone, 'k8s/apps/productivity/wallabag');
    const secret = objects.find(o => o.kind === 'SealedSecret')!;
    expect(secret.metadata.namespace).toBe('productivity');
    expect(await verifyWithController(s, secret)).toBe(200);
    const deployment = objects.find(o => o.kind === 'Deployment')!;
    expect(
      deployment.spec.template.metadata.labels['backstage.io/kubernetes-id'],
    ).toBe('wallabag');
    const project = parse(
      fs.readFileSync(
        path.join(clone, 'k8s/apps/productivity/project.yaml'),
        'utf8',
      ),
    );
    expect(project.spec.destinations.map((d: any) => d.namespace)).toContain(
      'productivity',
    );
  });
});
