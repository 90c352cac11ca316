import fs from 'node:fs';
import path from 'node:path';
import { createMockActionContext } from '../__testUtils__/actionContext';
import { parse } from 'yaml';
import {
  copyFixture,
  fixtureRepo,
  fixturesDir,
  kustomize,
  overlay,
  readTree,
  testConfig,
} from '../__testUtils__/fixtures';
import { httpRouteValidator } from '../lib/route/httpRoute';
import { createRouteGenerateAction } from './routeGenerate';

async function run(layout: 'flux' | 'argocd', input: Record<string, unknown>) {
  const action = createRouteGenerateAction({
    config: testConfig(),
    openRepo: async () => fixtureRepo(layout),
  });
  const ctx = createMockActionContext({
    input: {
      repoUrl: 'x?owner=a&repo=b',
      targetPath: 'gitops',
      ...input,
    } as any,
  });
  await action.handler(ctx as any);
  return {
    outputs: Object.fromEntries((ctx.output as jest.Mock).mock.calls),
    written: readTree(path.join(ctx.workspacePath, 'gitops')),
  };
}

describe('homelab:route:generate', () => {
  it('adds app-template route values to an app-template release, and only those lines', async () => {
    const { outputs, written } = await run('flux', {
      app: 'audiobookshelf',
      hostname: 'audiobooks.home.example.org',
      exposure: 'external',
    });
    expect(outputs.mode).toBe('values');
    expect([...written.keys()]).toEqual([
      'kubernetes/apps/media/audiobookshelf/app/helmrelease.yaml',
    ]);
    const file = 'kubernetes/apps/media/audiobookshelf/app/helmrelease.yaml';
    const before = fs.readFileSync(
      path.join(fixturesDir, 'flux', file),
      'utf8',
    );
    const after = written.get(file)!;
    const hr = parse(after);
    expect(Object.keys(hr.spec.values)).toEqual([
      'controllers',
      'route',
      'service',
    ]);
    expect(hr.spec.values.route).toEqual({
      app: {
        hostnames: ['audiobooks.home.example.org'],
        parentRefs: [
          { name: 'external', namespace: 'kube-system', sectionName: 'https' },
        ],
      },
    });
    expect(before.split('\n').every(l => after.split('\n').includes(l))).toBe(
      true,
    );
    const repo = copyFixture('flux');
    overlay(repo, written);
    expect(
      kustomize(repo, 'kubernetes/apps/media/audiobookshelf/app').find(
        o => o.kind === 'HelmRelease',
      ),
    ).toBeDefined();
    fs.rmSync(repo, { recursive: true, force: true });
  });

  it('routes a path to a chosen port through rules with the service identifier', async () => {
    const { written } = await run('flux', {
      app: 'audiobookshelf',
      hostname: 'books.home.example.org',
      pathPrefix: '/api',
      port: 80,
    });
    const hr = parse(
      written.get('kubernetes/apps/media/audiobookshelf/app/helmrelease.yaml')!,
    );
    expect(hr.spec.values.route.app.rules).toEqual([
      {
        matches: [{ path: { type: 'PathPrefix', value: '/api' } }],
        backendRefs: [{ identifier: 'app', port: 80 }],
      },
    ]);
  });

  it('writes a raw HTTPRoute for a release that is not app-template (Flux)', async () => {
    const { outputs, written } = await run('flux', {
      app: 'homer',
      hostname: 'home.home.example.org',
    });
    expect(outputs.mode).toBe('raw');
    const route = parse(
      written.get('kubernetes/apps/default/homer/app/httproute.yaml')!,
    );
    expect(route.metadata.namespace).toBeUndefined();
    expect(route.spec.rules[0].backendRefs).toEqual([
      { name: 'homer-web', port: 8080 },
    ]);
    expect(
      parse(
        written.get('kubernetes/apps/default/homer/app/kustomization.yaml')!,
      ).resources,
    ).toEqual([
      './helmrelease.yaml',
      './helmrepository.yaml',
      './httproute.yaml',
      './service.yaml',
    ]);
    const repo = copyFixture('flux');
    overlay(repo, written);
    const built = kustomize(repo, 'kubernetes/apps/default/homer/app').find(
      o => o.kind === 'HTTPRoute',
    )!;
    // What the cluster gets is valid against the CRD, CEL rules included.
    expect(
      httpRouteValidator().validate({
        ...built,
        metadata: { ...built.metadata, namespace: 'default' },
      }).problems,
    ).toEqual([]);
    fs.rmSync(repo, { recursive: true, force: true });
  });

  it('writes http-route.yaml in the Argo CD layout, with the namespace, registered like its siblings', async () => {
    const { written } = await run('argocd', {
      app: 'jellyfin',
      hostname: 'films.home.example.org',
      exposure: 'external',
    });
    const route = parse(
      written.get('k8s/apps/media/jellyfin/http-route.yaml')!,
    );
    expect(route).toMatchObject({
      metadata: { name: 'jellyfin', namespace: 'media' },
      spec: {
        parentRefs: [
          { name: 'external', namespace: 'kube-system', sectionName: 'https' },
        ],
        hostnames: ['films.home.example.org'],
        rules: [{ backendRefs: [{ name: 'jellyfin', port: 8096 }] }],
      },
    });
    expect(
      parse(written.get('k8s/apps/media/jellyfin/kustomization.yaml')!)
        .resources,
    ).toContain('http-route.yaml');
    const repo = copyFixture('argocd');
    overlay(repo, written);
    expect(
      kustomize(repo, 'k8s/apps/media/jellyfin').map(o => o.kind),
    ).toContain('HTTPRoute');
    fs.rmSync(repo, { recursive: true, force: true });
  });
});
