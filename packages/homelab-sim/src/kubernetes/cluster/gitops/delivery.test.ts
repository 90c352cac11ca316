import { Agent } from 'undici';
import { SimUnderTest, startSim } from '../../../testUtils';
import { loadScenario } from '../../../scenario/loadScenario';
import { FluxLayout } from '../../../forge/seed/fluxLayout';
import { householdApps } from '../../../forge/seed/householdApps';
import { crdValidator } from '../../__testUtils__/validators';

jest.setTimeout(240_000);

const DELAY_S = 4;
const scenario = loadScenario();
scenario.gitops.reconcileDelaySeconds = DELAY_S;

const validators: Record<string, (o: unknown) => void> = {
  Kustomization: crdValidator(
    'kustomize.toolkit.fluxcd.io_kustomizations.yaml',
    'v1',
  ),
  HelmRelease: crdValidator('helm.toolkit.fluxcd.io_helmreleases.yaml', 'v2'),
  GitRepository: crdValidator(
    'source.toolkit.fluxcd.io_gitrepositories.yaml',
    'v1',
  ),
  OCIRepository: crdValidator(
    'source.toolkit.fluxcd.io_ocirepositories.yaml',
    'v1',
  ),
  Application: crdValidator('argoproj.io_applications.yaml', 'v1alpha1'),
  Certificate: crdValidator('cert-manager.io_certificates.yaml', 'v1'),
};

/**
 * How far the sim's clock runs ahead of the real one. Waiting for a later
 * moment of the delivery timeline (a reconcile, a pod start) moves it on
 * instead of sleeping until then.
 */
let skew = 0;

describe('GitOps delivery in the demo cluster', () => {
  let sim: SimUnderTest<'kubernetes' | 'forge'>;
  let dispatcher: Agent;
  let k8sToken: string;
  let forgeToken: string;

  beforeAll(async () => {
    sim = await startSim({
      only: ['kubernetes', 'forge'],
      scenario,
      now: () => Date.now() + skew,
      tmpPrefix: 'sim-delivery-',
    });
    dispatcher = sim.dispatcher;
    k8sToken = sim.kubernetes.token;
    forgeToken = sim.forge.token;
  });

  afterAll(async () => {
    await sim?.close();
  });

  async function kube(p: string) {
    const res = await fetch(`${sim.kubernetes.url}${p}`, {
      headers: { authorization: `Bearer ${k8sToken}` },
      dispatcher,
    } as RequestInit);
    return { status: res.status, body: (await res.json()) as any };
  }
  async function forge(method: string, p: string, body?: unknown) {
    const res = await fetch(`${sim.forge.url}${p}`, {
      method,
      headers: {
        authorization: `token ${forgeToken}`,
        'content-type': 'application/json',
      },
      body: body ? JSON.stringify(body) : undefined,
      dispatcher,
    } as RequestInit);
    return { status: res.status, body: (await res.json()) as any };
  }
  const list = async (group: string, version: string, plural: string) =>
    (await kube(`/apis/${group}/${version}/${plural}`)).body.items as any[];
  const cond = (o: any, type: string) =>
    o.status.conditions.find((c: any) => c.type === type);

  /**
   * Polls until `probe` finds something. With `simStepMs` each miss also
   * moves the sim's clock on by that much (a step well inside every phase of
   * the timeline, so none is skipped) instead of sleeping it.
   */
  async function waitFor<T>(
    probe: () => Promise<T | undefined>,
    simStepMs = 0,
  ) {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const found = await probe();
      if (found) return found;
      if (Date.now() > deadline) throw new Error('timed out');
      skew += simStepMs;
      await new Promise(r => setTimeout(r, simStepMs ? 20 : 250));
    }
  }
  const STEP_MS = 250;

  it('serves every delivery object valid against its upstream CRD schema', async () => {
    const kinds = [
      ['kustomize.toolkit.fluxcd.io', 'v1', 'kustomizations'],
      ['helm.toolkit.fluxcd.io', 'v2', 'helmreleases'],
      ['source.toolkit.fluxcd.io', 'v1', 'gitrepositories'],
      ['source.toolkit.fluxcd.io', 'v1', 'ocirepositories'],
      ['argoproj.io', 'v1alpha1', 'applications'],
      ['cert-manager.io', 'v1', 'certificates'],
    ];
    for (const [group, version, plural] of kinds) {
      const items = await waitFor(async () => {
        const got = await list(group, version, plural);
        return got.length ? got : undefined;
      });
      for (const item of items) validators[item.kind](item);
    }
    const apps = householdApps(scenario).map(a => a.name);
    const releases = await list('helm.toolkit.fluxcd.io', 'v2', 'helmreleases');
    expect(releases.map(r => r.metadata.name).sort()).toEqual([...apps].sort());
    const settled = releases.find(r => r.metadata.name === 'vikunja');
    expect(cond(settled, 'Ready')).toMatchObject({
      status: 'True',
      reason: 'UpgradeSucceeded',
    });
    expect(settled.status.observedGeneration).toBe(settled.metadata.generation);
  });

  it('shows the scenario app that fails to upgrade as rolled back and stalled', async () => {
    const releases = await list('helm.toolkit.fluxcd.io', 'v2', 'helmreleases');
    const failing = releases.find(r => r.metadata.name === 'actual-budget');
    expect(cond(failing, 'Ready')).toMatchObject({
      status: 'False',
      reason: 'RollbackSucceeded',
    });
    expect(cond(failing, 'Stalled')).toMatchObject({
      reason: 'RetriesExceeded',
    });
    expect(cond(failing, 'Released').message).toMatch(
      /^Helm upgrade failed for release productivity\/actual-budget with chart app-template@5\.1\.0: cannot patch/,
    );
    const apps = await list('argoproj.io', 'v1alpha1', 'applications');
    const argo = apps.find(a => a.metadata.name === 'actual-budget');
    expect(argo.status.sync.status).toBe('OutOfSync');
    expect(argo.status.operationState.phase).toBe('Failed');
  });

  it('has certificates expiring, failing to renew and never issued', async () => {
    const certs = await list('cert-manager.io', 'v1', 'certificates');
    const byName = Object.fromEntries(certs.map(c => [c.metadata.name, c]));
    const days = (c: any) =>
      (Date.parse(c.status.notAfter) - Date.now()) / 86_400_000;
    expect(days(byName['home-example-org-tls'])).toBeGreaterThan(21);
    expect(days(byName['external-home-example-org-tls'])).toBeLessThan(13);
    expect(
      cond(byName['external-home-example-org-tls'], 'Issuing'),
    ).toMatchObject({ status: 'False', reason: 'Failed' });
    expect(cond(byName['mqtt-home-example-org-tls'], 'Ready')).toMatchObject({
      status: 'False',
      reason: 'DoesNotExist',
    });
    expect(byName['mqtt-home-example-org-tls'].status.notAfter).toBeUndefined();
  });

  it('forbids the scenario-denied kind to the portal with the API server wording', async () => {
    const r = await kube('/apis/autoscaling/v2/horizontalpodautoscalers');
    expect(r.status).toBe(403);
    expect(r.body.message).toBe(
      'horizontalpodautoscalers.autoscaling is forbidden: User "system:serviceaccount:backstage:backstage" cannot list resource "horizontalpodautoscalers" in API group "autoscaling" at the cluster scope',
    );
    expect((await kube('/apis/apps/v1/deployments')).status).toBe(200);
  });

  it('has Renovate pull requests open in both repositories', async () => {
    const flux = await forge('GET', '/api/v3/repos/home-ops/home-ops/pulls');
    expect(flux.body.map((p: any) => p.title)).toContain(
      'fix(container): update image docker.io/vikunja/vikunja (0.24.6 ➔ 0.24.7)',
    );
    const argo = await forge('GET', '/api/v1/repos/home-ops/k8s-gitops/pulls');
    expect(argo.body.map((p: any) => p.head.ref)).toContain(
      'renovate/docker.io-sissbruecker-linkding-2.x',
    );
  });

  it('reconciles a merged app, installs it and runs it', async () => {
    const apps = householdApps(scenario);
    const template = apps.find(a => a.name === 'vikunja')!;
    const app = {
      ...template,
      name: 'kitchenowl',
      hostname: `kitchen.${scenario.household.domain}`,
      workloads: [
        {
          ...template.workloads[0],
          name: 'kitchenowl',
          controller: 'kitchenowl',
          image: 'docker.io/tombursch/kitchenowl:v0.7.4',
        },
      ],
    };
    const flux = new FluxLayout(scenario);
    const files = flux.appFiles(app);
    const R = '/api/v3/repos/home-ops/home-ops';
    const base = (await forge('GET', `${R}/branches/main`)).body.commit.sha;
    const names = apps
      .filter(a => a.namespace === app.namespace)
      .map(a => a.name);
    files[`kubernetes/apps/${app.namespace}/kustomization.yaml`] =
      flux.namespaceKustomization(app.namespace, [...names, app.name]);
    const tree = await forge('POST', `${R}/git/trees`, {
      base_tree: (await forge('GET', `${R}/git/commits/${base}`)).body.tree.sha,
      tree: Object.entries(files).map(([file, content]) => ({
        path: file,
        mode: '100644',
        type: 'blob',
        content,
      })),
    });
    const commit = await forge('POST', `${R}/git/commits`, {
      message: 'feat(kitchenowl): deploy KitchenOwl',
      tree: tree.body.sha,
      parents: [base],
    });
    expect(
      (
        await forge('POST', `${R}/git/refs`, {
          ref: 'refs/heads/homelab/add-kitchenowl',
          sha: commit.body.sha,
        })
      ).status,
    ).toBe(201);
    const pr = await forge('POST', '/api/v3/repos/home-ops/home-ops/pulls', {
      title: 'feat(kitchenowl): deploy KitchenOwl',
      head: 'homelab/add-kitchenowl',
      base: 'main',
    });
    const merged = await forge(
      'PUT',
      `/api/v3/repos/home-ops/home-ops/pulls/${pr.body.number}/merge`,
      {},
    );
    expect(merged.status).toBe(200);

    const ks = await waitFor(async () =>
      (
        await list('kustomize.toolkit.fluxcd.io', 'v1', 'kustomizations')
      ).find(k => k.metadata.name === 'kitchenowl'),
    );
    validators.Kustomization(ks);
    expect(cond(ks, 'Reconciling')?.status).toBe('True');
    expect(ks.status.lastAttemptedRevision).toBe(
      `main@sha1:${merged.body.sha}`,
    );

    const installing = await waitFor(
      async () =>
        (
          await list('helm.toolkit.fluxcd.io', 'v2', 'helmreleases')
        ).find(r => r.metadata.name === 'kitchenowl'),
      STEP_MS,
    );
    validators.HelmRelease(installing);
    expect(cond(installing, 'Ready').status).toBe('Unknown');

    const installed = await waitFor(async () => {
      const r = (
        await list('helm.toolkit.fluxcd.io', 'v2', 'helmreleases')
      ).find(x => x.metadata.name === 'kitchenowl');
      return cond(r, 'Ready').status === 'True' ? r : undefined;
    }, STEP_MS);
    expect(cond(installed, 'Ready')).toMatchObject({
      reason: 'InstallSucceeded',
      message:
        'Helm install succeeded for release productivity/kitchenowl.v1 with chart app-template@5.1.0',
    });
    const done = (
      await list('kustomize.toolkit.fluxcd.io', 'v1', 'kustomizations')
    ).find(k => k.metadata.name === 'kitchenowl');
    expect(done.status.lastAppliedRevision).toBe(
      `main@sha1:${merged.body.sha}`,
    );

    const deployment = await waitFor(async () => {
      const d = (
        await kube(
          '/apis/apps/v1/namespaces/productivity/deployments/kitchenowl',
        )
      ).body;
      return d.status?.readyReplicas === 1 ? d : undefined;
    }, STEP_MS);
    expect(deployment.metadata.labels['backstage.io/kubernetes-id']).toBe(
      'kitchenowl',
    );
    const route = await kube(
      '/apis/gateway.networking.k8s.io/v1/namespaces/productivity/httproutes/kitchenowl',
    );
    expect(route.body.spec.hostnames).toEqual(['kitchen.home.example.org']);
  });
});
