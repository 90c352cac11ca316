import { Agent } from 'undici';
import { SimUnderTest, startSim } from '../testUtils';
import { sealSecret } from '../sealedSecrets/crypto';
import { crdValidator } from './__testUtils__/validators';

jest.setTimeout(60_000);

/**
 * RBAC per identity, access reviews, and the objects that only exist with
 * writes: a SealedSecret created through the API becomes a Secret.
 */
describe('simulated Kubernetes API: identities, RBAC and writes', () => {
  let sim: SimUnderTest<'kubernetes'>;
  let dispatcher: Agent;
  let url: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    sim = await startSim({
      only: ['kubernetes'],
      tmpPrefix: 'sim-rbac-',
    });
    dispatcher = sim.dispatcher;
    url = sim.kubernetes.url;
    for (const who of ['portal', 'family', 'admin']) {
      tokens[who] = sim.kubernetes.tokenOf(who);
    }
  });

  afterAll(async () => {
    await sim?.close();
  });

  async function call(
    who: string,
    p: string,
    init: { method?: string; body?: unknown } = {},
  ) {
    const res = await fetch(`${url}${p}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${tokens[who]}`,
        'content-type': 'application/json',
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      dispatcher,
    } as RequestInit);
    return { status: res.status, body: await res.json() };
  }

  it.each([
    // who, path, status: what kube-apiserver answers with these bindings
    ['portal', '/api/v1/secrets', 403],
    ['family', '/api/v1/secrets', 403],
    ['admin', '/api/v1/secrets', 200],
    ['portal', '/api/v1/nodes', 200],
    ['family', '/api/v1/nodes', 403],
    ['family', '/api/v1/namespaces/media/pods', 200],
    ['portal', '/apis/rbac.authorization.k8s.io/v1/clusterroles', 403],
    ['admin', '/apis/rbac.authorization.k8s.io/v1/clusterroles', 200],
    // Authorization runs before routing: an unknown resource is 403 to
    // whoever may not read it, 404 to whoever may read anything.
    ['portal', '/api/v1/widgets', 403],
    ['admin', '/api/v1/widgets', 404],
    ['admin', '/api/v1/namespaces/media/secrets/nope', 404],
  ])('%s GET %s answers %i', async (who, p, status) => {
    const r = await call(who, p);
    expect(r.status).toBe(status);
    // Errors are Status objects with the code; answers are lists or objects.
    expect(r.body.code ?? 200).toBe(status);
  });

  it("names the caller and the missing permission in RBAC's wording", async () => {
    const r = await call('family', '/api/v1/namespaces/media/secrets');
    expect(r.body.message).toBe(
      'secrets is forbidden: User "jordan" cannot list resource "secrets" in API group "" in the namespace "media"',
    );
    expect(r.body.details).toEqual({ kind: 'secrets' });
  });

  it('answers SelfSubjectAccessReviews like kubectl auth can-i expects', async () => {
    const review = (who: string, attrs: Record<string, string>) =>
      call(who, '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        method: 'POST',
        body: {
          kind: 'SelfSubjectAccessReview',
          apiVersion: 'authorization.k8s.io/v1',
          spec: { resourceAttributes: attrs },
        },
      });
    const yes = await review('portal', { verb: 'list', resource: 'pods' });
    expect(yes.status).toBe(201);
    expect(yes.body.status).toEqual({
      allowed: true,
      reason:
        'RBAC: allowed by ClusterRoleBinding "backstage-read" of ClusterRole "backstage-read" to ServiceAccount "backstage/backstage"',
    });
    const no = await review('portal', { verb: 'get', resource: 'secrets' });
    expect(no.body.status).toEqual({ allowed: false });
    const proxy = await review('portal', {
      verb: 'get',
      resource: 'services',
      subresource: 'proxy',
      namespace: 'kube-system',
      name: 'http:sealed-secrets-controller:http',
    });
    expect(proxy.body.status.reason).toBe(
      'RBAC: allowed by RoleBinding "sealed-secrets-controller-service-proxier/kube-system" of Role "sealed-secrets-controller-service-proxier" to Group "system:authenticated"',
    );
    const rules = await call(
      'family',
      '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
      {
        method: 'POST',
        body: {
          kind: 'SelfSubjectRulesReview',
          apiVersion: 'authorization.k8s.io/v1',
          spec: { namespace: 'media' },
        },
      },
    );
    expect(rules.body.status.resourceRules).toContainEqual({
      verbs: ['get', 'list', 'watch'],
      apiGroups: [''],
      resources: ['namespaces'],
    });
  });

  it('serves the installed CRDs and their kinds in discovery', async () => {
    const crds = await call(
      'admin',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    );
    expect(crds.body.items.map((c: any) => c.metadata.name)).toEqual([
      'applications.argoproj.io',
      'certificates.cert-manager.io',
      'gatewayclasses.gateway.networking.k8s.io',
      'gateways.gateway.networking.k8s.io',
      'gitrepositories.source.toolkit.fluxcd.io',
      'helmreleases.helm.toolkit.fluxcd.io',
      'httproutes.gateway.networking.k8s.io',
      'kustomizations.kustomize.toolkit.fluxcd.io',
      'ocirepositories.source.toolkit.fluxcd.io',
      'sealedsecrets.bitnami.com',
    ]);
    expect(
      crds.body.items[9].status.conditions.map((c: any) => c.type),
    ).toEqual(['NamesAccepted', 'Established']);
    const group = await call('portal', '/apis/bitnami.com/v1alpha1');
    expect(group.body.resources.map((r: any) => r.name)).toEqual([
      'sealedsecrets',
      'sealedsecrets/status',
    ]);
  });

  it('unseals the scenario SealedSecrets into Secrets, and says which it cannot', async () => {
    const sealed = await call(
      'admin',
      '/apis/bitnami.com/v1alpha1/sealedsecrets',
    );
    const validate = crdValidator('bitnami.com_sealedsecrets.yaml', 'v1alpha1');
    const byName = Object.fromEntries(
      sealed.body.items.map((s: any) => [s.metadata.name, s]),
    );
    for (const s of sealed.body.items) validate(s);
    expect(byName['paperless-ngx-secret'].status.conditions[0]).toMatchObject({
      type: 'Synced',
      status: 'True',
    });
    expect(byName['vaultwarden-admin'].status.conditions[0]).toMatchObject({
      type: 'Synced',
      status: 'False',
      message: 'no key could decrypt secret (ADMIN_TOKEN)',
    });
    const secret = await call(
      'admin',
      '/api/v1/namespaces/documents/secrets/paperless-ngx-secret',
    );
    expect(Object.keys(secret.body.data).sort()).toEqual([
      'PAPERLESS_DBPASS',
      'PAPERLESS_SECRET_KEY',
    ]);
    expect(secret.body.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        kind: 'SealedSecret',
        name: 'paperless-ngx-secret',
        uid: byName['paperless-ngx-secret'].metadata.uid,
        controller: true,
      }),
    ]);
    expect(
      (
        await call(
          'admin',
          '/api/v1/namespaces/security/secrets/vaultwarden-admin',
        )
      ).status,
    ).toBe(404);
  });

  it('creates a SealedSecret as admin, unseals it, refuses the portal and bad objects, deletes it', async () => {
    const cert = await fetch(
      `${url}/api/v1/namespaces/kube-system/services/http:sealed-secrets-controller:http/proxy/v1/cert.pem`,
      {
        headers: { authorization: `Bearer ${tokens.portal}` },
        dispatcher,
      } as RequestInit,
    ).then(r => r.text());
    const object = sealSecret(cert, {
      metadata: { name: 'mealie-oidc', namespace: 'productivity' },
      stringData: { OIDC_CLIENT_SECRET: 'from the test' },
    });
    const collection =
      '/apis/bitnami.com/v1alpha1/namespaces/productivity/sealedsecrets';

    const denied = await call('portal', collection, {
      method: 'POST',
      body: object,
    });
    expect(denied.status).toBe(403);
    expect(denied.body.message).toContain(
      'cannot create resource "sealedsecrets" in API group "bitnami.com"',
    );

    const invalid = await call('admin', collection, {
      method: 'POST',
      body: { ...object, metadata: { name: 'broken' }, spec: {} },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({
      reason: 'Invalid',
      message:
        'SealedSecret.bitnami.com "broken" is invalid: spec.encryptedData: Required value',
    });

    const created = await call('admin', collection, {
      method: 'POST',
      body: object,
    });
    expect(created.status).toBe(201);
    expect(created.body.metadata).toMatchObject({
      name: 'mealie-oidc',
      namespace: 'productivity',
      generation: 1,
    });
    const again = await call('admin', collection, {
      method: 'POST',
      body: object,
    });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe(
      'sealedsecrets.bitnami.com "mealie-oidc" already exists',
    );

    const secret = await call(
      'admin',
      '/api/v1/namespaces/productivity/secrets/mealie-oidc',
    );
    expect(
      Buffer.from(secret.body.data.OIDC_CLIENT_SECRET, 'base64').toString(),
    ).toBe('from the test');

    const deleted = await call('admin', `${collection}/mealie-oidc`, {
      method: 'DELETE',
    });
    expect(deleted.status).toBe(200);
    // The Secret the controller owned goes with it (garbage collection).
    expect(
      (
        await call(
          'admin',
          '/api/v1/namespaces/productivity/secrets/mealie-oidc',
        )
      ).status,
    ).toBe(404);
    // Objects the scenario derives are not deleted.
    const pods = await call('admin', '/api/v1/namespaces/media/pods');
    const derived = await call(
      'admin',
      `/api/v1/namespaces/media/pods/${pods.body.items[0].metadata.name}`,
      { method: 'DELETE' },
    );
    expect(derived.status).toBe(405);
  });

  it('answers a protobuf body that does not decode with 400, not a crash', async () => {
    // kubectl's Secret bodies are read in the conformance suite; here the
    // bytes after the magic are not a runtime.Unknown (a truncated varint).
    const res = await fetch(`${url}/api/v1/namespaces/documents/secrets`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.admin}`,
        'content-type': 'application/vnd.kubernetes.protobuf',
      },
      body: Buffer.concat([Buffer.from('k8s\0'), Buffer.from([0x0a, 0xff])]),
      dispatcher,
    } as RequestInit);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      kind: 'Status',
      reason: 'BadRequest',
      message: 'the request body is not a Kubernetes protobuf object',
    });
  });
});
