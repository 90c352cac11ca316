import fs from 'node:fs';
import path from 'node:path';
import { createMockActionContext } from '../__testUtils__/actionContext';
import { parse, parseDocument } from 'yaml';
import {
  copyFixture,
  fixtureRepo,
  kustomize,
  overlay,
  readTree,
  testConfig,
} from '../__testUtils__/fixtures';
import { createAppGenerateAction } from './appGenerate';

const baseInput = {
  repoUrl: 'github.com?owner=home-ops&repo=flux',
  name: 'mealie',
  title: 'Mealie',
  description: 'Recipes and meal plans for the family.',
  owner: 'group:home-admins',
  namespace: 'media',
  image: 'ghcr.io/mealie-recipes/mealie:v3.4.0',
  port: 9000,
  hostname: 'recipes.home.example.org',
  exposure: 'external',
  persistence: { size: '5Gi', mountPath: '/app/data' },
  env: [{ name: 'ALLOW_SIGNUP', value: 'false' }],
  secretName: 'mealie-secret',
  targetPath: 'gitops',
};

async function run(layout: 'flux' | 'argocd', input: Record<string, unknown>) {
  const action = createAppGenerateAction({
    config: testConfig(),
    openRepo: async () => fixtureRepo(layout),
  });
  const ctx = createMockActionContext({ input: input as any });
  await action.handler(ctx as any);
  const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  const written = readTree(path.join(ctx.workspacePath, 'gitops'));
  return { ctx, outputs, written };
}

describe('homelab:app:generate, Flux layout', () => {
  it('writes the app folder in the home-ops shape, registered in its namespace', async () => {
    const { outputs, written } = await run('flux', baseInput);
    expect(outputs.layout).toBe('flux');
    expect(outputs.appPath).toBe('kubernetes/apps/media/mealie');
    expect([...written.keys()].sort()).toEqual([
      'kubernetes/apps/media/kustomization.yaml',
      'kubernetes/apps/media/mealie/app/helmrelease.yaml',
      'kubernetes/apps/media/mealie/app/kustomization.yaml',
      'kubernetes/apps/media/mealie/app/ocirepository.yaml',
      'kubernetes/apps/media/mealie/catalog-info.yaml',
      'kubernetes/apps/media/mealie/ks.yaml',
    ]);
    expect(outputs.updatedFiles).toEqual([
      'kubernetes/apps/media/kustomization.yaml',
    ]);

    const ks = parse(written.get('kubernetes/apps/media/mealie/ks.yaml')!);
    expect(ks).toMatchObject({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'mealie' },
      spec: {
        path: './kubernetes/apps/media/mealie/app',
        targetNamespace: 'media',
        sourceRef: {
          kind: 'GitRepository',
          name: 'flux-system',
          namespace: 'flux-system',
        },
        interval: '1h',
        prune: true,
      },
    });
    expect(ks.metadata.namespace).toBeUndefined();

    // Chart version: the one most apps use (5.1.0 twice, 4.4.0 once).
    const oci = parse(
      written.get('kubernetes/apps/media/mealie/app/ocirepository.yaml')!,
    );
    expect(oci.spec).toEqual({
      interval: '15m',
      layerSelector: {
        mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
        operation: 'copy',
      },
      ref: { tag: '5.1.0' },
      url: 'oci://ghcr.io/bjw-s-labs/helm/app-template',
    });
    expect(outputs.chartVersion).toBe('5.1.0');

    const hr = parse(
      written.get('kubernetes/apps/media/mealie/app/helmrelease.yaml')!,
    );
    expect(hr.spec.chartRef).toEqual({ kind: 'OCIRepository', name: 'mealie' });
    expect(hr.spec.interval).toBe('30m'); // copied from the other HelmReleases
    expect(hr.metadata.namespace).toBeUndefined();
    const container = hr.spec.values.controllers.mealie.containers.app;
    // Renovate's helm-values manager reads image.repository + image.tag.
    expect(container.image).toEqual({
      repository: 'ghcr.io/mealie-recipes/mealie',
      tag: 'v3.4.0',
    });
    expect(Object.keys(container)[0]).toBe('image');
    expect(container.env).toEqual({
      TZ: 'Europe/Paris',
      ALLOW_SIGNUP: 'false',
    });
    expect(container.envFrom).toEqual([
      { secretRef: { name: 'mealie-secret' } },
    ]);
    expect(Object.keys(hr.spec.values)).toEqual([
      'controllers',
      'persistence',
      'route',
      'service',
    ]);
    expect(hr.spec.values.route.app).toEqual({
      hostnames: ['recipes.home.example.org'],
      parentRefs: [
        { name: 'external', namespace: 'kube-system', sectionName: 'https' },
      ],
    });
    expect(hr.spec.values.service.app.ports.http.port).toBe(9000);
    expect(hr.spec.values.persistence.data).toEqual({
      type: 'persistentVolumeClaim',
      accessMode: 'ReadWriteOnce',
      size: '5Gi',
      globalMounts: [{ path: '/app/data' }],
    });

    // Files carry the schema comments the repo uses.
    for (const [file, schema] of [
      ['ks.yaml', 'kustomize.toolkit.fluxcd.io/kustomization_v1.json'],
      ['app/helmrelease.yaml', 'helmrelease-helm-v2.schema.json'],
      ['app/kustomization.yaml', 'json.schemastore.org/kustomization'],
    ]) {
      const text = written.get(`kubernetes/apps/media/mealie/${file}`)!;
      expect(text.startsWith('---\n# yaml-language-server: $schema=')).toBe(
        true,
      );
      expect(text.split('\n')[1]).toContain(schema);
    }

    const entity = parse(
      written.get('kubernetes/apps/media/mealie/catalog-info.yaml')!,
    );
    expect(entity).toMatchObject({
      kind: 'Component',
      metadata: {
        name: 'mealie',
        title: 'Mealie',
        annotations: {
          'backstage.io/kubernetes-namespace': 'media',
          'backstage.io/kubernetes-label-selector':
            'app.kubernetes.io/instance=mealie',
          'backstage.io/source-location':
            'url:https://github.com/home-ops/flux/tree/main/kubernetes/apps/media/mealie',
        },
        links: [{ url: 'https://recipes.home.example.org', icon: 'dashboard' }],
      },
      spec: { owner: 'group:home-admins', type: 'service' },
    });
  });

  it('edits the namespace kustomization in place: order, comments and blank lines survive', async () => {
    const { written } = await run('flux', baseInput);
    const before = fs.readFileSync(
      path.join(
        __dirname,
        '../__fixtures__/repos/flux/kubernetes/apps/media/kustomization.yaml',
      ),
      'utf8',
    );
    const after = written.get('kubernetes/apps/media/kustomization.yaml')!;
    const added = after
      .split('\n')
      .filter(l => !before.split('\n').includes(l));
    expect(added).toEqual(['  - ./mealie/ks.yaml']);
    // The only change is one line, in alphabetical place.
    expect(after.replace('  - ./mealie/ks.yaml\n', '')).toBe(before);
    expect(parse(after).resources).toEqual([
      './audiobookshelf/ks.yaml',
      './jellyfin/ks.yaml',
      './mealie/ks.yaml',
    ]);
  });

  it('creates a new namespace folder shaped like its siblings', async () => {
    const { outputs, written } = await run('flux', {
      ...baseInput,
      namespace: 'kitchen',
    });
    expect(outputs.namespaceCreated).toBe(true);
    const ns = parseDocument(
      written.get('kubernetes/apps/kitchen/kustomization.yaml')!,
    );
    expect(ns.toJS()).toEqual({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      namespace: 'kitchen',
      components: ['../../components/common'],
      resources: ['./mealie/ks.yaml'],
    });
    expect(String(ns)).toContain(
      '# yaml-language-server: $schema=https://json.schemastore.org/kustomization',
    );
  });

  it('builds with kubectl kustomize, namespace and app', async () => {
    for (const namespace of ['media', 'kitchen']) {
      const { written } = await run('flux', { ...baseInput, namespace });
      const repo = copyFixture('flux');
      overlay(repo, written);
      const nsObjects = kustomize(repo, `kubernetes/apps/${namespace}`);
      expect(nsObjects).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            kind: 'Namespace',
            metadata: expect.objectContaining({ name: namespace }),
          }),
          expect.objectContaining({
            kind: 'Kustomization',
            metadata: { name: 'mealie', namespace },
          }),
        ]),
      );
      const appObjects = kustomize(
        repo,
        `kubernetes/apps/${namespace}/mealie/app`,
      );
      expect(
        appObjects.map(o => `${o.kind}/${o.metadata.name}`).sort(),
      ).toEqual(['HelmRelease/mealie', 'OCIRepository/mealie']);
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });

  it('dryRun reports the plan and writes nothing', async () => {
    const { outputs, written } = await run('flux', {
      ...baseInput,
      dryRun: true,
    });
    expect(written.size).toBe(0);
    expect(outputs.files).toContain('kubernetes/apps/media/mealie/ks.yaml');
  });

  it('omits route, volume and envFrom when not asked for', async () => {
    const { written } = await run('flux', {
      ...baseInput,
      hostname: undefined,
      persistence: { size: '' },
      secretName: undefined,
      env: [],
    });
    const hr = parse(
      written.get('kubernetes/apps/media/mealie/app/helmrelease.yaml')!,
    );
    expect(Object.keys(hr.spec.values)).toEqual(['controllers', 'service']);
    expect(
      hr.spec.values.controllers.mealie.containers.app.envFrom,
    ).toBeUndefined();
  });
});

describe('homelab:app:generate, Argo CD layout', () => {
  const argoInput = {
    ...baseInput,
    repoUrl: 'gitea.home.example.org?owner=home-ops&repo=argocd',
    name: 'linkding',
    namespace: 'linkding',
    category: 'dev',
    image: 'docker.io/sissbruecker/linkding:1.44.1',
    hostname: 'links.home.example.org',
    exposure: 'internal',
    secretName: 'linkding-secret',
  };

  it('writes raw manifests with explicit namespaces and registers the namespace in the AppProject', async () => {
    const { outputs, written } = await run('argocd', argoInput);
    expect(outputs.layout).toBe('argocd');
    expect([...written.keys()].sort()).toEqual([
      'k8s/apps/dev/linkding/catalog-info.yaml',
      'k8s/apps/dev/linkding/deployment.yaml',
      'k8s/apps/dev/linkding/http-route.yaml',
      'k8s/apps/dev/linkding/kustomization.yaml',
      'k8s/apps/dev/linkding/ns.yaml',
      'k8s/apps/dev/linkding/pvc.yaml',
      'k8s/apps/dev/linkding/svc.yaml',
      'k8s/apps/dev/project.yaml',
    ]);
    const deployment = parse(
      written.get('k8s/apps/dev/linkding/deployment.yaml')!,
    );
    expect(deployment.metadata.namespace).toBe('linkding');
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe('docker.io/sissbruecker/linkding:1.44.1');
    expect(container.envFrom).toEqual([
      { secretRef: { name: 'linkding-secret' } },
    ]);
    // Labels and selector as the repo's Deployments have them: `app: <name>`.
    expect(deployment.spec.template.metadata.labels).toEqual({
      app: 'linkding',
    });
    expect(deployment.spec.selector.matchLabels).toEqual({ app: 'linkding' });
    // The repo's Renovate comment style is kept.
    expect(written.get('k8s/apps/dev/linkding/deployment.yaml')).toContain(
      'image: docker.io/sissbruecker/linkding:1.44.1 # renovate: docker=docker.io/sissbruecker/linkding',
    );
    const route = parse(written.get('k8s/apps/dev/linkding/http-route.yaml')!);
    expect(route.spec.parentRefs).toEqual([
      { name: 'internal', namespace: 'kube-system', sectionName: 'https' },
    ]);
    expect(route.spec.rules[0].backendRefs).toEqual([
      { name: 'linkding', port: 9000 },
    ]);

    const before = fs.readFileSync(
      path.join(
        __dirname,
        '../__fixtures__/repos/argocd/k8s/apps/dev/project.yaml',
      ),
      'utf8',
    );
    const project = written.get('k8s/apps/dev/project.yaml')!;
    expect(parse(project).spec.destinations).toEqual([
      { namespace: 'argocd', server: '*' },
      { namespace: 'whoami', server: '*' },
      { namespace: 'linkding', server: '*' },
    ]);
    // The comment above the destinations survives.
    expect(project).toContain(
      '# one entry per app namespace: Argo CD refuses anything else',
    );
    expect(project.startsWith(before.split('destinations:')[0])).toBe(true);
  });

  it('leaves an AppProject that allows every namespace alone, and reuses a declared namespace', async () => {
    const { written, outputs } = await run('argocd', {
      ...argoInput,
      category: 'media',
      namespace: 'media',
    });
    expect(written.has('k8s/apps/media/project.yaml')).toBe(false);
    expect(written.has('k8s/apps/media/linkding/ns.yaml')).toBe(false);
    expect(outputs.namespaceCreated).toBe(false);
  });

  it('builds with kubectl kustomize', async () => {
    const { written } = await run('argocd', argoInput);
    const repo = copyFixture('argocd');
    overlay(repo, written);
    const objects = kustomize(repo, 'k8s/apps/dev/linkding');
    expect(
      objects
        .map(o => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)
        .sort(),
    ).toEqual([
      'Deployment/linkding/linkding',
      'HTTPRoute/linkding/linkding',
      'Namespace//linkding',
      'PersistentVolumeClaim/linkding/linkding',
      'Service/linkding/linkding',
    ]);
    fs.rmSync(repo, { recursive: true, force: true });
  });
});
