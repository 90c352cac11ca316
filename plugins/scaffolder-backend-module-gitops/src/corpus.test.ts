import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMockActionContext } from './__testUtils__/actionContext';
import { parse } from 'yaml';
import { CORPUS, corpusRepo } from './__testUtils__/corpus';
import {
  kustomize,
  overlay,
  readTree,
  testConfig,
} from './__testUtils__/fixtures';
import {
  generic,
  Mismatches,
  misordered,
  mode,
  most,
  onlyAdditions,
  RepoFile,
  repoFiles,
} from './__testUtils__/majority';
import {
  createSealingKey,
  SealingKey,
  unseal,
} from './__testUtils__/sealingKeys';
import { createAppGenerateAction } from './actions/appGenerate';
import { createPullRequestDescribeAction } from './actions/pullRequestDescribe';
import { createRouteGenerateAction } from './actions/routeGenerate';
import { createSecretSealAction } from './actions/secretSeal';
import { parseSealingCertificate } from './lib/sealing/certificate';

/**
 * The three templates' actions on every fixture repository of the corpus
 * (modelled on real home-ops repositories, see __fixtures__/corpus/README.md):
 * every touched kustomization builds with kubectl kustomize, every new file
 * follows the repository's majority conventions as this test counts them
 * from the files, and no existing file changes except the registrations the
 * layout needs.
 */
jest.setTimeout(120_000);

type Case = {
  fixture: string;
  config?: Record<string, unknown>;
  app: { namespace: string; category?: string };
  /** how the new app gets its secret: sealed (then homelab:secret:seal), the store, or not at all */
  secret: 'sealed' | 'store' | 'none';
  /** the commit subject, read by hand from history.txt */
  title: string;
  /** existing files add-app may edit */
  registrations: string[];
  /** the add-sealed-secret template on an existing app */
  sealInto: { app: string; sealed: boolean };
  /** the expose-app template on an existing app without a route */
  expose: { app: string; mode: 'values' | 'raw' };
  /** an app whose port does not speak HTTP */
  notHttp?: string;
  /** Argo CD creates the new app's namespace itself (CreateNamespace=true, its own destination) */
  namespaceByArgo?: boolean;
};

const CASES: Case[] = [
  {
    fixture: 'flux-oci-externalsecrets',
    app: { namespace: 'default' },
    secret: 'store',
    title: 'feat(mealie): add mealie',
    registrations: ['kubernetes/apps/default/kustomization.yaml'],
    sealInto: { app: 'radarr', sealed: false },
    expose: { app: 'thelounge', mode: 'values' },
  },
  {
    fixture: 'flux-oci-alphabetical',
    app: { namespace: 'selfhosted' },
    secret: 'store',
    title: 'feat(mealie): Deploy',
    registrations: ['kubernetes/apps/selfhosted/kustomization.yaml'],
    sealInto: { app: 'karakeep', sealed: false },
    expose: { app: 'searxng', mode: 'values' },
  },
  {
    fixture: 'flux-helmrepository-sops',
    app: { namespace: 'default' },
    secret: 'none',
    title: 'feat(mealie): add mealie',
    registrations: ['kubernetes/apps/default/kustomization.yaml'],
    sealInto: { app: 'miniflux', sealed: false },
    expose: { app: 'it-tools', mode: 'values' },
  },
  {
    fixture: 'argocd-appsets-sealed',
    app: { namespace: 'books', category: 'media' },
    secret: 'sealed',
    title: 'feat(mealie): deploy mealie',
    registrations: ['k8s/apps/media/project.yaml'],
    sealInto: { app: 'linkding', sealed: true },
    expose: { app: 'stirling-pdf', mode: 'raw' },
    notHttp: 'mosquitto',
  },
  {
    fixture: 'argocd-categories-externalsecrets',
    config: { argocd: { appsPath: 'k8s/applications' } },
    app: { namespace: 'mealie-recipes', category: 'web' },
    secret: 'store',
    title: 'feat(web): add mealie',
    registrations: ['k8s/applications/web/kustomization.yaml'],
    sealInto: { app: 'kiwix', sealed: false },
    expose: { app: 'tandoor', mode: 'raw' },
  },
  {
    fixture: 'argocd-app-of-apps-norenovate',
    config: { argocd: { appsPath: 'apps' } },
    app: { namespace: 'recipes' },
    secret: 'sealed',
    title: 'feat(mealie): Deploying Mealie',
    registrations: ['apps/kustomization.yaml'],
    sealInto: { app: 'plex', sealed: true },
    expose: { app: 'whoami', mode: 'raw' },
    namespaceByArgo: true,
  },
];

it('covers every fixture of the corpus', () => {
  expect(CASES.map(c => c.fixture).sort()).toEqual(CORPUS);
});

// One controller key for every fixture (RSA key generation is slow).
let sealingKey: Promise<SealingKey> | undefined;

const NEW_APP = {
  repoUrl: 'git.home.example.org?owner=home-ops&repo=gitops',
  name: 'mealie',
  title: 'Mealie',
  description: 'Recipes and meal plans for the family.',
  owner: 'group:home-admins',
  image: 'ghcr.io/mealie-recipes/mealie:v3.4.0',
  port: 9000,
  hostname: 'recipes.home.example.org',
  exposure: 'internal',
  persistence: { size: '5Gi', mountPath: '/app/data' },
  env: [{ name: 'ALLOW_SIGNUP', value: 'false' }],
  targetPath: 'gitops',
};

describe.each(CASES)('$fixture', c => {
  let repo: ReturnType<typeof corpusRepo>;
  let key: SealingKey;
  let files: RepoFile[];
  const workspaces: string[] = [];
  const config = testConfig(c.config);

  beforeAll(async () => {
    repo = corpusRepo(c.fixture);
    files = repoFiles(repo.dir);
    key = await (sealingKey ??= createSealingKey());
  });
  afterAll(() => {
    repo.remove();
    for (const w of workspaces) fs.rmSync(w, { recursive: true, force: true });
  });

  const actions = () => {
    const cfg = config;
    return {
      generate: createAppGenerateAction({
        config: cfg,
        openRepo: async () => repo.open(),
      }),
      seal: createSecretSealAction({
        config: cfg,
        openRepo: async () => repo.open(),
        fetchCertificate: async () =>
          parseSealingCertificate(key.certPem, 'the controller'),
      }),
      route: createRouteGenerateAction({
        config: cfg,
        openRepo: async () => repo.open(),
      }),
      describe: createPullRequestDescribeAction(),
    };
  };

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

  const workspace = () => {
    const w = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-corpus-ws-'));
    workspaces.push(w);
    return w;
  };

  /** The repository with the staged files over it, built where anything was touched. */
  function buildTouched(written: Map<string, string>) {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-corpus-build-'));
    workspaces.push(copy);
    fs.cpSync(repo.dir, copy, { recursive: true });
    overlay(copy, written);
    const built = new Map<string, Array<Record<string, any>>>();
    for (const file of written.keys()) {
      const dir = path.posix.dirname(file);
      if (
        built.has(dir) ||
        !fs.existsSync(path.join(copy, dir, 'kustomization.yaml'))
      )
        continue;
      built.set(dir, kustomize(copy, dir));
    }
    return built;
  }

  /** Existing files that changed: only the allowed ones, and only by additions. */
  function expectOnlyRegistrations(
    written: Map<string, string>,
    allowed: string[],
  ) {
    const edited = [...written.keys()].filter(p =>
      fs.existsSync(path.join(repo.dir, p)),
    );
    expect(edited.sort()).toEqual([...allowed].sort());
    for (const p of edited) {
      const before = fs.readFileSync(path.join(repo.dir, p), 'utf8');
      const diff = onlyAdditions(before, written.get(p)!);
      expect({ file: p, ok: diff.ok }).toEqual({ file: p, ok: true });
    }
  }

  const appFiles = (re: RegExp) => files.filter(f => re.test(f.path));
  const object = (text: string) => parse(text);

  /**
   * The new app through the add-app template's steps, run once per fixture:
   * the three add-app tests check the same pull request.
   */
  let added: ReturnType<typeof runAddApp> | undefined;
  const addApp = () => (added ??= runAddApp());

  /** The new app through the add-app template's steps; its secret the repository's way. */
  async function runAddApp() {
    const { generate, seal, describe: describeAction } = actions();
    const ws = workspace();
    const secretInput = {
      store: { externalSecret: { key: 'mealie', keys: ['MEALIE_SECRET'] } },
      sealed: { secretName: 'mealie-secret' },
      none: {},
    }[c.secret];
    const gen = await run(
      generate,
      { ...NEW_APP, ...c.app, ...secretInput },
      ws,
    );
    const sealed =
      c.secret === 'sealed'
        ? await run(
            seal,
            {
              repoUrl: NEW_APP.repoUrl,
              app: 'mealie',
              namespace: c.app.namespace,
              values: [{ key: 'MEALIE_SECRET', secret: 'v' }],
              targetPath: 'gitops',
            },
            ws,
            { v: 'correct horse' },
          )
        : undefined;
    const parts = [gen.pullRequest, sealed?.pullRequest];
    const text = await run(describeAction, { parts, sourcePath: 'gitops' }, ws);
    const written = readTree(path.join(ws, 'gitops'));
    return { gen, text, written, built: buildTouched(written) };
  }

  it('add-app: the pull request follows the history, lists every file, and edits only registrations', async () => {
    const { gen, text, written, built } = await addApp();
    expect(gen.title).toBe(c.title);
    expect(text.title).toBe(c.title);
    expect(
      [...written.keys()].filter(p => !text.description.includes(`\`${p}\``)),
    ).toEqual([]);
    expect(text.description).not.toContain('``');
    expectOnlyRegistrations(written, c.registrations);

    // Every touched kustomization builds; the app's objects are there.
    const kinds = built
      .get(gen.kustomizationPath.replace(/\/kustomization\.yaml$/, ''))!
      .map(o => o.kind);
    const expected =
      gen.layout === 'flux'
        ? ['HelmRelease']
        : ['Deployment', 'Service', 'HTTPRoute', 'PersistentVolumeClaim'];
    expect(kinds).toEqual(
      expect.arrayContaining([
        ...expected,
        ...(c.secret === 'store' ? ['ExternalSecret'] : []),
        ...(c.secret === 'sealed' ? ['SealedSecret'] : []),
      ]),
    );
  });

  it('add-app: every new file follows the majority of the repository, counted from its files', async () => {
    const { gen, written, built } = await addApp();
    const m = new Mismatches();
    if (gen.layout === 'flux') fluxConventions(m, written, gen.appPath);
    else argoConventions(m, written, gen.appPath, built);
    markersAndSchemas(m, written);
    expect(m.list).toEqual([]);
  });

  it("add-app: a sealed secret decrypts for the app's final namespace, or is refused naming what the repository uses", async () => {
    const { generate } = actions();
    const refusal = await generate
      .handler(
        createMockActionContext({
          input: {
            ...NEW_APP,
            ...c.app,
            secretName: 'mealie-secret',
            name: 'other',
          } as any,
        }) as any,
      )
      .then(
        () => undefined,
        (e: Error) => e.message,
      );
    const refused = expect.stringMatching(
      /secretName: .*(uses ExternalSecrets \(N, most from ClusterSecretStore [\w-]+\)|encrypts its secrets with SOPS \(N encrypted files, rules in \.sops\.yaml\)) and (has )?no SealedSecrets controller.*\[rule secret-management\]/,
    );
    expect(refusal?.replace(/\d+/g, 'N')).toEqual(
      c.secret === 'sealed' ? undefined : refused,
    );
    const { gen, built } = await addApp();
    const sealed = built
      .get(gen.kustomizationPath.replace(/\/kustomization\.yaml$/, ''))!
      .find(o => o.kind === 'SealedSecret');
    const ns = sealed && (sealed.metadata.namespace ?? c.app.namespace);
    expect(
      sealed && {
        ns,
        value: unseal(
          key.privateKey,
          sealed.spec.encryptedData.MEALIE_SECRET,
          Buffer.from(`${ns}/mealie-secret`),
        ).toString(),
      },
    ).toEqual(
      c.secret === 'sealed'
        ? { ns: c.app.namespace, value: 'correct horse' }
        : undefined,
    );
  });

  /** The Flux files against the majority of the repository's own. */
  function fluxConventions(
    m: Mismatches,
    written: Map<string, string>,
    appPath: string,
  ) {
    const ksFiles = appFiles(/^kubernetes\/apps\/[^/]+\/[^/]+\/ks\.yaml$/);
    const ks = object(written.get(`${appPath}/ks.yaml`)!);
    const specs = ksFiles.map(f => f.docs[0].spec);
    for (const k of new Set(specs.flatMap(s => Object.keys(s)))) {
      if (
        [
          'path',
          'targetNamespace',
          'components',
          'postBuild',
          'dependsOn',
        ].includes(k)
      )
        continue;
      m.eq(`ks.yaml has spec.${k}`, k in ks.spec, most(specs.map(s => k in s)));
    }
    m.eq(
      'ks.yaml path quoted',
      /^\s+path: "/m.test(written.get(`${appPath}/ks.yaml`)!),
      most(ksFiles.map(f => /^\s+path: "/m.test(f.text))),
    );

    // Releases of app-template only: a chartRef to an app-template OCIRepository, or chart.spec.
    const ociOf = (f: RepoFile) =>
      files.find(
        o =>
          o.path === f.path.replace('helmrelease.yaml', 'ocirepository.yaml'),
      )?.docs[0];
    const releaseFiles = files
      .filter(f => f.path.endsWith('/helmrelease.yaml'))
      .filter(f =>
        f.docs[0].spec.chart
          ? f.docs[0].spec.chart.spec.chart === 'app-template'
          : String(ociOf(f)?.spec.url).endsWith('/app-template'),
      );
    const releases = releaseFiles.map(f => f.docs[0]);
    const hr = object(written.get(`${appPath}/app/helmrelease.yaml`)!);
    const controller = (r: any) =>
      r.spec.values.controllers[r.metadata.name] ??
      Object.values<any>(r.spec.values.controllers)[0];
    const container = (r: any) => controller(r).containers.app;
    m.eq(
      'reloader annotation',
      !!controller(hr).annotations?.['reloader.stakater.com/auto'],
      most(
        releases.map(
          r => !!controller(r).annotations?.['reloader.stakater.com/auto'],
        ),
      ),
    );
    for (const k of ['securityContext', 'resources', 'probes']) {
      m.eq(
        `container ${k}`,
        k in container(hr),
        most(releases.map(r => k in container(r))),
      );
    }
    const version = (r: any, f?: RepoFile) =>
      r.spec.chart?.spec.version ?? (f ? ociOf(f)?.spec.ref.tag : undefined);
    m.eq(
      'chart version',
      hr.spec.chart?.spec.version ??
        object(written.get(`${appPath}/app/ocirepository.yaml`)!).spec.ref.tag,
      mode(releaseFiles.map(f => version(f.docs[0], f))),
    );
    m.eq(
      'chart through chart.spec',
      'chart' in hr.spec,
      most(releases.map(r => 'chart' in r.spec)),
    );
    m.eq(
      'values key order',
      misordered(
        releases.map(r => Object.keys(r.spec.values)),
        Object.keys(hr.spec.values),
      ),
      [],
    );
    m.eq(
      'container key order',
      misordered(
        releases.map(r => Object.keys(container(r))),
        Object.keys(container(hr)),
      ),
      [],
    );
    const routes = releases.map(r => r.spec.values.route?.app).filter(Boolean);
    m.eq(
      'route rules',
      !!hr.spec.values.route.app.rules,
      most(routes.map(r => !!r.rules)),
    );
    const withVolume = releases.filter(
      r =>
        r.spec.values.persistence &&
        Object.values<any>(r.spec.values.persistence).some(
          p => p.existingClaim || p.type === 'persistentVolumeClaim',
        ),
    );
    const claims = most(
      withVolume.map(r =>
        Object.values<any>(r.spec.values.persistence).some(
          p => p.existingClaim,
        ),
      ),
    );
    m.eq(
      'volume as existingClaim',
      Object.values<any>(hr.spec.values.persistence).some(p => p.existingClaim),
      claims,
    );
    m.eq(
      'volume Component in ks.yaml',
      (ks.spec.components?.length ?? 0) > 0,
      claims,
    );
    const kustomizations = appFiles(
      /^kubernetes\/apps\/[^/]+\/[^/]+\/app\/kustomization\.yaml$/,
    ).map(f => f.docs[0].resources as string[]);
    m.eq(
      'app kustomization order',
      misordered(
        kustomizations,
        object(written.get(`${appPath}/app/kustomization.yaml`)!).resources,
      ),
      [],
    );
  }

  /** The raw manifests against the majority of the repository's apps. */
  function argoConventions(
    m: Mismatches,
    written: Map<string, string>,
    appPath: string,
    built: Map<string, Array<Record<string, any>>>,
  ) {
    const deployments = files.filter(f => f.docs[0]?.kind === 'Deployment');
    const nameOf = (f: RepoFile) => f.path.split('/').slice(-2, -1)[0];
    const deploymentFile = `${appPath}/${mode(
      deployments.map(f => path.basename(f.path)),
    )}`;
    m.eq('Deployment file name', written.has(deploymentFile), true);
    const dep = parse(written.get(deploymentFile) ?? 'kind: missing');
    const podLabels = deployments.map(f =>
      generic(f.docs[0].spec.template.metadata?.labels, nameOf(f)),
    );
    m.eq(
      'pod labels',
      generic(dep.spec?.template.metadata?.labels ?? null, 'mealie'),
      most(podLabels.map(l => l !== null))
        ? mode(podLabels.filter(l => l !== null))
        : null,
    );
    m.eq(
      'selector',
      generic(dep.spec?.selector.matchLabels, 'mealie'),
      mode(
        deployments.map(f =>
          generic(f.docs[0].spec.selector.matchLabels, nameOf(f)),
        ),
      ),
    );
    m.eq(
      'app.kubernetes.io/instance label',
      !!dep.spec?.template.metadata?.labels?.['app.kubernetes.io/instance'],
      most(
        deployments.map(
          f =>
            !!f.docs[0].spec.template.metadata?.labels?.[
              'app.kubernetes.io/instance'
            ],
        ),
      ),
    );
    const main = (d: any) => d.spec.template.spec.containers[0];
    const probe = (d: any) => {
      const p = main(d).readinessProbe ?? main(d).livenessProbe;
      return p
        ? Object.keys(p).find(k => ['httpGet', 'tcpSocket', 'exec'].includes(k))
        : 'none';
    };
    m.eq(
      'probe kind',
      probe(dep),
      mode(deployments.map(f => probe(f.docs[0]))),
    );
    m.eq(
      'container port protocol',
      !!main(dep).ports[0].protocol,
      most(
        deployments.flatMap(f =>
          main(f.docs[0]).ports.map((p: any) => !!p.protocol),
        ),
      ),
    );
    m.eq(
      'metadata.namespace on objects',
      !!dep.metadata.namespace,
      most(
        files
          .filter(f =>
            /^(Deployment|Service|HTTPRoute)$/.test(f.docs[0]?.kind ?? ''),
          )
          .map(f => !!f.docs[0].metadata.namespace),
      ),
    );
    const services = files.filter(f => f.docs.some(d => d.kind === 'Service'));
    const routes = files.filter(f => f.docs[0]?.kind === 'HTTPRoute');
    for (const [kind, list] of [
      ['Service', services],
      ['HTTPRoute', routes],
    ] as const) {
      const fileName = `${appPath}/${mode(
        list.map(f => path.basename(f.path)),
      )}`;
      m.eq(`${kind} file name`, written.has(fileName), true);
      // As written (the kustomization may add commonLabels on top).
      m.eq(
        `${kind} labels`,
        !!parse(written.get(fileName) ?? '{}')?.metadata?.labels,
        most(list.map(f => !!f.docs[0].metadata.labels)),
      );
    }
    const svc = built.get(appPath)!.find(o => o.kind === 'Service')!;
    m.eq(
      'Service port protocol',
      !!svc.spec.ports[0].protocol,
      most(
        services.flatMap(f =>
          f.docs.flatMap(d =>
            (d.spec?.ports ?? []).map((p: any) => !!p.protocol),
          ),
        ),
      ),
    );
    // Renovate: the comment form most image lines carry (placeholder for the image), or none.
    const forms = deployments
      .flatMap(f => f.text.split('\n').filter(l => /^\s*(- )?image: /.test(l)))
      .map(l => {
        const [, image, comment] =
          /image: (\S+?)(?::[^\s:]+)?(?: (#.*))?$/.exec(l)!;
        if (!comment) return 'none';
        return comment.includes(image)
          ? comment.split(image).join('<image>')
          : comment.replace(/=\S+$/, '=<other>');
      });
    const mine =
      /image: ghcr\.io\/mealie-recipes\/mealie:v3\.4\.0(?: (#.*))?$/m.exec(
        written.get(deploymentFile) ?? '',
      );
    m.eq(
      'Renovate comment',
      mine?.[1]
        ? mine[1].split('ghcr.io/mealie-recipes/mealie').join('<image>')
        : 'none',
      mode(forms),
    );
    const kustomizations = files
      .filter(
        f =>
          f.docs[0]?.kind === 'Kustomization' &&
          deployments.some(d => path.dirname(d.path) === path.dirname(f.path)),
      )
      .map(f => f.docs[0].resources as string[]);
    m.eq(
      'app kustomization order',
      misordered(
        kustomizations,
        object(written.get(`${appPath}/kustomization.yaml`)!).resources,
      ),
      [],
    );
    // A namespace Argo CD does not create comes as a manifest.
    m.eq(
      'Namespace manifests',
      built
        .get(appPath)!
        .filter(
          o => o.kind === 'Namespace' && o.metadata.name === c.app.namespace,
        ).length,
      c.namespaceByArgo ? 0 : 1,
    );
  }

  /** `---` and the schema comment on new files, as most files of that name have them. */
  function markersAndSchemas(m: Mismatches, written: Map<string, string>) {
    for (const [p, text] of written) {
      if (
        fs.existsSync(path.join(repo.dir, p)) ||
        p.endsWith('catalog-info.yaml')
      )
        continue;
      const same = files.filter(
        f => path.basename(f.path) === path.basename(p),
      );
      if (same.length < 2) continue;
      m.eq(
        `${p} starts with ---`,
        text.startsWith('---'),
        most(same.map(f => f.text.startsWith('---'))),
      );
      m.eq(
        `${p} schema comment`,
        /\$schema=(\S+)/.exec(text)?.[1] ?? null,
        mode(same.map(f => /\$schema=(\S+)/.exec(f.text)?.[1] ?? null)),
      );
    }
  }

  it('add-sealed-secret: sealed into an existing app where SealedSecrets decrypt, refused where they would not, never half', async () => {
    const { seal } = actions();
    const ws = workspace();
    const input = {
      repoUrl: NEW_APP.repoUrl,
      app: c.sealInto.app,
      envFrom: true,
      values: [{ key: 'API_TOKEN', secret: 't' }],
      targetPath: 'gitops',
    };
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath: ws,
      secrets: { t: 'tok' },
    });
    const refusal = await seal.handler(ctx as any).then(
      () => undefined,
      (e: Error) => e.message,
    );
    const out = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
    const written = readTree(path.join(ws, 'gitops'));
    const refused = expect.stringContaining('[rule secret-management]');
    expect(refusal).toEqual(c.sealInto.sealed ? undefined : refused);
    // Refused: nothing at all, no envFrom on a working app (defect 1).
    expect(written.size).toBe(c.sealInto.sealed ? 3 : 0);
    const appDir = out.secretPath ? path.posix.dirname(out.secretPath) : '';
    const edited = [...written.keys()].filter(p =>
      fs.existsSync(path.join(repo.dir, p)),
    );
    expectOnlyRegistrations(written, edited);
    expect(edited.map(p => path.basename(p)).sort()).toEqual(
      c.sealInto.sealed ? ['deployment.yaml', 'kustomization.yaml'] : [],
    );
    const built = written.size > 0 ? buildTouched(written).get(appDir)! : [];
    const sealed = built.find(o => o.kind === 'SealedSecret');
    const reads = expect.arrayContaining([
      { secretRef: { name: out.secretName } },
    ]);
    expect(
      sealed &&
        unseal(
          key.privateKey,
          sealed.spec.encryptedData.API_TOKEN,
          Buffer.from(`${out.namespace}/${out.secretName}`),
        ).toString(),
    ).toBe(c.sealInto.sealed ? 'tok' : undefined);
    expect(
      built.find(o => o.kind === 'Deployment')?.spec.template.spec.containers[0]
        .envFrom,
    ).toEqual(c.sealInto.sealed ? reads : undefined);
    // File name as most SealedSecret files are named.
    const names = files
      .filter(f => f.docs[0]?.kind === 'SealedSecret')
      .map(f =>
        path.basename(f.path).replace(f.docs[0].metadata.name, '<secret>'),
      );
    expect(
      out.secretPath &&
        path.basename(out.secretPath).replace(out.secretName, '<secret>'),
    ).toBe(
      c.sealInto.sealed ? mode(names) ?? 'secret-<secret>.yaml' : undefined,
    );
  });

  it('expose-app: a route to an HTTP port, written like the repository routes', async () => {
    const { route } = actions();
    const ws = workspace();
    const out = await run(
      route,
      {
        repoUrl: NEW_APP.repoUrl,
        app: c.expose.app,
        hostname: 'exposed.home.example.org',
        exposure: 'internal',
        targetPath: 'gitops',
      },
      ws,
    );
    expect(out.mode).toBe(c.expose.mode);
    expect(out.title).toMatch(/exposed\.home\.example\.org/);
    const written = readTree(path.join(ws, 'gitops'));
    const edited = [...written.keys()].filter(p =>
      fs.existsSync(path.join(repo.dir, p)),
    );
    expect(edited.length).toBe(1);
    expectOnlyRegistrations(written, edited);
    const objects = [...buildTouched(written).values()].flat();
    const created = [...written.entries()].find(
      ([p]) => !fs.existsSync(path.join(repo.dir, p)),
    );
    const routes = files.filter(f => f.docs[0]?.kind === 'HTTPRoute');
    const hostnames =
      c.expose.mode === 'raw'
        ? objects.find(
            o => o.kind === 'HTTPRoute' && o.metadata.name === c.expose.app,
          )?.spec.hostnames
        : objects.find(
            o => o.kind === 'HelmRelease' && o.metadata.name === c.expose.app,
          )?.spec.values.route.app.hostnames;
    expect(hostnames).toEqual(['exposed.home.example.org']);
    expect(created && !!parse(created[1]).metadata.labels).toBe(
      c.expose.mode === 'raw'
        ? most(routes.map(f => !!f.docs[0].metadata.labels))
        : undefined,
    );
  });
});

describe.each(CASES.filter(c => c.notHttp))(
  '$fixture: a port that does not speak HTTP',
  c => {
    it('is refused by expose-app, with the reason and what to do instead', async () => {
      const repo = corpusRepo(c.fixture);
      try {
        const action = createRouteGenerateAction({
          config: testConfig(c.config),
          openRepo: async () => repo.open(),
        });
        const ctx = createMockActionContext({
          input: {
            repoUrl: NEW_APP.repoUrl,
            app: c.notHttp,
            hostname: 'mqtt.home.example.org',
            targetPath: 'gitops',
          } as any,
        });
        await expect(action.handler(ctx as any)).rejects.toThrow(
          /port: mosquitto's Service mosquitto port 1883 \("web"\) does not speak HTTP \(it forwards to the container port "mqtt"\).*TCPRoute.*\[rule port-not-http\]/,
        );
        expect(readTree(path.join(ctx.workspacePath, 'gitops')).size).toBe(0);
      } finally {
        repo.remove();
      }
    });
  },
);
