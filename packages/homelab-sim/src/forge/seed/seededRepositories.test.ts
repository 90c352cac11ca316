import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import {
  crdValidator,
  modelFor,
} from '../../kubernetes/__testUtils__/validators';
import { loadScenario } from '../../scenario/loadScenario';
import {
  cloneBranch,
  ForgeUnderTest,
  git,
  startForgeSim,
} from '../__testUtils__/forgeTestUtils';
import { householdApps } from './householdApps';

const exec = promisify(execFile);
jest.setTimeout(120_000);

const scenario = loadScenario();
const apps = householdApps(scenario);
const validateRoute = crdValidator(
  'gateway.networking.k8s.io_httproutes.yaml',
  'v1',
);

/** `kubectl kustomize <dir>` (Debian's kubectl, kustomize v5) → the objects it renders. */
async function kustomize(dir: string): Promise<any[]> {
  const { stdout } = await exec('kubectl', ['kustomize', dir], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return parseAllDocuments(stdout).map(d => d.toJS());
}

function validateBuiltIn(obj: any) {
  const Model = modelFor(obj.apiVersion, obj.kind);
  if (Model) new Model(obj).validate();
}

describe('seeded GitOps repositories', () => {
  let forge: ForgeUnderTest;
  let flux: string;
  let argo: string;

  beforeAll(async () => {
    forge = await startForgeSim();
    flux = await cloneBranch(forge, 'home-ops/home-ops.git', 'main');
    argo = await cloneBranch(forge, 'home-ops/k8s-gitops.git', 'main');
  });

  afterAll(async () => {
    await forge?.close();
  });

  it('holds the household apps of the scenario, and only those', () => {
    expect(apps.map(a => `${a.namespace}/${a.name}`)).toEqual([
      'documents/paperless-ngx',
      'home-automation/esphome',
      'home-automation/mosquitto',
      'home-automation/zigbee2mqtt',
      'media/audiobookshelf',
      'media/immich',
      'media/jellyfin',
      'productivity/actual-budget',
      'productivity/bookstack',
      'productivity/linkding',
      'productivity/mealie',
      'productivity/stirling-pdf',
      'productivity/vikunja',
      'security/vaultwarden',
    ]);
    const namespaces = fs
      .readdirSync(path.join(flux, 'kubernetes/apps'))
      .sort();
    expect(namespaces).toEqual([...new Set(apps.map(a => a.namespace))].sort());
  });

  describe('Flux layout (home-ops/home-ops)', () => {
    const read = (p: string) => fs.readFileSync(path.join(flux, p), 'utf8');

    it('has the repository basics', () => {
      expect(read('README.md')).toContain('  apps/<namespace>/');
      expect(read('.renovaterc.json5')).toContain(
        'github>home-operations/renovate-presets',
      );
      const root = parse(read('kubernetes/flux/cluster/ks.yaml'));
      expect(root).toMatchObject({
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'cluster-apps', namespace: 'flux-system' },
        spec: {
          path: './kubernetes/apps',
          prune: true,
          sourceRef: { kind: 'GitRepository', name: 'flux-system' },
        },
      });
    });

    it.each(apps.map(a => [`${a.namespace}/${a.name}`, a] as const))(
      '%s: ks.yaml + app/ as the notes describe',
      async (_, app) => {
        const dir = `kubernetes/apps/${app.namespace}/${app.name}`;
        for (const f of [
          'ks.yaml',
          'app/kustomization.yaml',
          'app/ocirepository.yaml',
          'app/helmrelease.yaml',
        ]) {
          // Every file starts like the community's: document marker + schema comment.
          expect(read(`${dir}/${f}`)).toMatch(
            /^---\n# yaml-language-server: \$schema=https:\/\/\S+\n/,
          );
        }
        const ks = parse(read(`${dir}/ks.yaml`));
        expect(ks).toMatchObject({
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          kind: 'Kustomization',
          metadata: { name: app.name },
          spec: {
            interval: '1h',
            path: `./${dir}/app`,
            prune: true,
            sourceRef: {
              kind: 'GitRepository',
              name: 'flux-system',
              namespace: 'flux-system',
            },
            targetNamespace: app.namespace,
          },
        });
        const oci = parse(read(`${dir}/app/ocirepository.yaml`));
        expect(oci).toMatchObject({
          apiVersion: 'source.toolkit.fluxcd.io/v1',
          kind: 'OCIRepository',
          metadata: { name: app.name },
          spec: {
            ref: { tag: scenario.forge.appTemplateVersion },
            url: 'oci://ghcr.io/bjw-s-labs/helm/app-template',
          },
        });
        const hr = parse(read(`${dir}/app/helmrelease.yaml`));
        expect(hr).toMatchObject({
          apiVersion: 'helm.toolkit.fluxcd.io/v2',
          kind: 'HelmRelease',
          metadata: { name: app.name },
          spec: { chartRef: { kind: 'OCIRepository', name: app.name } },
        });
        expect(Object.keys(hr.spec)).toEqual([
          'chartRef',
          'interval',
          'values',
        ]);
        const values = hr.spec.values;
        expect(Object.keys(values)).toEqual([...Object.keys(values)].sort());
        for (const w of app.workloads) {
          const c = values.controllers[w.controller];
          expect(
            `${c.containers.app.image.repository}:${c.containers.app.image.tag}`,
          ).toBe(w.image);
          expect(Object.keys(c.containers.app)[0]).toBe('image');
          expect(Object.keys(c.containers.app.resources)).toEqual([
            'requests',
            'limits',
          ]);
        }
        const expectedRoute = app.hostname
          ? {
              hostnames: [app.hostname],
              parentRefs: [
                {
                  name: app.gateway!.name,
                  namespace: app.gateway!.namespace,
                  sectionName: app.gateway!.sectionName,
                },
              ],
            }
          : undefined;
        expect(
          values.route && {
            hostnames: values.route.app.hostnames,
            parentRefs: values.route.app.parentRefs,
          },
        ).toEqual(expectedRoute);
        // No namespace in the objects: Flux's targetNamespace sets it.
        expect(hr.metadata.namespace).toBeUndefined();

        const built = await kustomize(path.join(flux, dir, 'app'));
        expect(built.map(o => o.kind).sort()).toEqual([
          'HelmRelease',
          'OCIRepository',
        ]);
      },
    );

    it.each([...new Set(apps.map(a => a.namespace))])(
      'kubernetes/apps/%s builds and lists its apps alphabetically',
      async ns => {
        const k = parse(read(`kubernetes/apps/${ns}/kustomization.yaml`));
        const expected = apps
          .filter(a => a.namespace === ns)
          .map(a => `./${a.name}/ks.yaml`)
          .sort();
        expect(k).toMatchObject({
          kind: 'Kustomization',
          namespace: ns,
          resources: expected,
        });
        const built = await kustomize(path.join(flux, 'kubernetes/apps', ns));
        expect(built.find(o => o.kind === 'Namespace')?.metadata.name).toBe(ns);
        const children = built.filter(o => o.kind === 'Kustomization');
        expect(
          children.map(o => [o.metadata.name, o.metadata.namespace]),
        ).toEqual(expected.map(p => [p.split('/')[1], ns]));
        built.forEach(validateBuiltIn);
      },
    );

    it('has a history of real commits by the household, one per app, plus Renovate', async () => {
      const { stdout } = await git(
        forge,
        ['log', '--reverse', '--format=%an|%ae|%at|%s'],
        { cwd: flux },
      );
      const commits = stdout
        .trim()
        .split('\n')
        .map(l => l.split('|'));
      const people = scenario.forge.users.filter(u => !u.bot).map(u => u.email);
      expect(commits[0][3]).toBe('chore: bootstrap flux cluster layout');
      for (const app of apps)
        expect(
          commits.filter(c => c[3] === `feat(${app.name}): Deploy`),
        ).toHaveLength(1);
      const renovate = commits.filter(c => c[0] === 'renovate[bot]');
      expect(renovate.length).toBeGreaterThan(0);
      for (const c of renovate)
        expect(c[3]).toMatch(
          /^fix\(container\): update image \S+ \( \S+ ➔ \S+ \)$/,
        );
      for (const c of commits.filter(x => x[0] !== 'renovate[bot]'))
        expect(people).toContain(c[1]);
      const times = commits.map(c => Number(c[2]));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(commits).toHaveLength(1 + apps.length + renovate.length);
      const { stdout: fsck } = await git(forge, ['fsck', '--strict'], {
        cwd: flux,
      });
      expect(fsck).toBe('');
    });
  });

  describe('Argo CD layout (home-ops/k8s-gitops)', () => {
    const read = (p: string) => fs.readFileSync(path.join(argo, p), 'utf8');
    const categories = [...new Set(apps.map(a => a.namespace))];

    it('builds the top level: AppProject + ApplicationSet over the category folders', async () => {
      const built = await kustomize(path.join(argo, 'k8s/apps'));
      expect(built.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
        'AppProject/apps',
        'ApplicationSet/apps',
      ]);
      const set = built.find(o => o.kind === 'ApplicationSet');
      expect(set.spec.generators[0].git.directories).toEqual([
        { path: 'k8s/apps/*' },
      ]);
      expect(
        JSON.parse(read('renovate.json')).kubernetes.managerFilePatterns,
      ).toBeDefined();
    });

    it.each(categories)(
      'k8s/apps/%s: project lists the namespace, ApplicationSet generates one app per folder',
      async ns => {
        const built = await kustomize(path.join(argo, 'k8s/apps', ns));
        const project = built.find(o => o.kind === 'AppProject');
        expect(project.spec.destinations).toEqual([
          { namespace: ns, server: '*' },
        ]);
        const set = built.find(o => o.kind === 'ApplicationSet');
        expect(set.spec.generators[0].git.directories).toEqual([
          { path: `k8s/apps/${ns}/*` },
        ]);
        expect(set.spec.template.spec).toMatchObject({
          project: ns,
          destination: { namespace: ns },
        });
      },
    );

    it.each(apps.map(a => [`${a.namespace}/${a.name}`, a] as const))(
      '%s: raw manifests build and are valid',
      async (_, app) => {
        const dir = path.join(argo, 'k8s/apps', app.namespace, app.name);
        const k = parse(
          read(`k8s/apps/${app.namespace}/${app.name}/kustomization.yaml`),
        );
        for (const r of k.resources)
          expect(fs.existsSync(path.join(dir, r))).toBe(true);
        const built = await kustomize(dir);
        for (const obj of built) {
          expect(obj.metadata.namespace).toBe(app.namespace);
          validateBuiltIn(obj);
        }
        for (const w of app.workloads) {
          const workload = built.find(
            o => o.kind === w.kind && o.metadata.name === w.name,
          );
          expect(workload.spec.template.spec.containers[0].image).toBe(w.image);
          expect(workload.metadata.labels['backstage.io/kubernetes-id']).toBe(
            app.name,
          );
          expect(
            built.find(o => o.kind === 'Service' && o.metadata.name === w.name)
              ?.spec.ports[0].port,
          ).toBe(w.port);
        }
        const routes = built.filter(o => o.kind === 'HTTPRoute');
        routes.forEach(validateRoute);
        expect(
          routes.map(r => [r.spec.hostnames, r.spec.rules[0].backendRefs]),
        ).toEqual(
          app.hostname
            ? [
                [
                  [app.hostname],
                  [
                    {
                      name: app.workloads[0].name,
                      port: app.workloads[0].port,
                    },
                  ],
                ],
              ]
            : [],
        );
      },
    );
  });
});
