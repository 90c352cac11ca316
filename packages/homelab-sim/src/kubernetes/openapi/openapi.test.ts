import type { Agent } from 'undici';
import { startKubernetesOnly } from '../__testUtils__/kubernetesOnly';
import { groupVersions } from '../api/resources';

jest.setTimeout(60_000);

/**
 * /openapi/v2 and v3, and the field validation v3 advertises. kubectl's own reading
 * of these documents (`explain`, `create -f`) is in the conformance suite.
 */
describe('simulated Kubernetes API: OpenAPI and field validation', () => {
  let k8s: Awaited<ReturnType<typeof startKubernetesOnly>>;
  let dispatcher: Agent;
  let url: string;
  let token: string;

  beforeAll(async () => {
    k8s = await startKubernetesOnly('sim-openapi-');
    ({ dispatcher, url, adminToken: token } = k8s);
  });

  afterAll(async () => k8s?.close());

  const call = (p: string, init: RequestInit = {}) =>
    fetch(`${url}${p}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...init.headers,
      },
      dispatcher,
    } as RequestInit);

  it('lists a document per served group version, each with its refs resolvable', async () => {
    const root = await (await call('/openapi/v3')).json();
    // metrics.k8s.io is metrics-server's (no client-node model): left out.
    const expected = groupVersions()
      .flatMap(g =>
        g.versions.map(v => (g.group ? `apis/${g.group}/${v}` : `api/${v}`)),
      )
      .filter(k => !k.startsWith('apis/metrics.k8s.io/'));
    expect(Object.keys(root.paths).sort()).toEqual(expected.sort());
    for (const [key, { serverRelativeURL }] of Object.entries<any>(
      root.paths,
    )) {
      expect(serverRelativeURL).toMatch(
        new RegExp(`^/openapi/v3/${key}\\?hash=[0-9A-F]{128}$`),
      );
      const res = await call(serverRelativeURL);
      expect(res.headers.get('cache-control')).toBe('public, immutable');
      const doc = await res.json();
      const schemas = doc.components.schemas;
      const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)];
      for (const [, ref] of refs) {
        expect(schemas).toHaveProperty([
          ref.replace('#/components/schemas/', ''),
        ]);
      }
      // kubectl finds kinds by this extension; every resource has one.
      const kinds = Object.values<any>(schemas).filter(
        s => s['x-kubernetes-group-version-kind'],
      );
      expect(kinds.length).toBeGreaterThan(0);
    }
    // An old hash is revalidated, an unknown group version is 404.
    const stale = await call('/openapi/v3/api/v1?hash=00');
    expect(stale.headers.get('cache-control')).toBe(
      'no-cache, no-store, must-revalidate',
    );
    expect((await call('/openapi/v3/apis/nope.example.org/v1')).status).toBe(
      404,
    );
  });

  it('publishes built-in kinds with the spec names, required fields and descriptions', async () => {
    const doc = await (await call('/openapi/v3/apis/apps/v1')).json();
    const schemas = doc.components.schemas;
    expect(
      schemas['io.k8s.api.apps.v1.Deployment'][
        'x-kubernetes-group-version-kind'
      ],
    ).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    expect(schemas['io.k8s.api.core.v1.Container'].required).toEqual(['name']);
    expect(
      schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties.name
        .type,
    ).toBe('string');
    // kubectl decides on server-side validation from the PATCH operation.
    const patch =
      doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']
        .patch;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
    });
    expect(patch.parameters.map((p: any) => p.name)).toContain(
      'fieldValidation',
    );
  });

  it('serves the same definitions as Swagger 2.0 on /openapi/v2, in JSON or the protobuf kubectl asks for', async () => {
    const json = await call('/openapi/v2');
    expect(json.headers.get('content-type')).toBe('application/json');
    const v2 = await json.json();
    expect(v2.swagger).toBe('2.0');
    const pod = v2.definitions['io.k8s.api.core.v1.Pod'];
    expect(pod['x-kubernetes-group-version-kind']).toEqual([
      { group: '', kind: 'Pod', version: 'v1' },
    ]);
    expect(pod.properties.spec.$ref).toBe(
      '#/definitions/io.k8s.api.core.v1.PodSpec',
    );
    // Every v2 reference resolves among the definitions.
    for (const [, ref] of JSON.stringify(v2).matchAll(/"\$ref":"([^"]+)"/g))
      expect(v2.definitions).toHaveProperty([
        ref.replace('#/definitions/', ''),
      ]);
    const pb = await call('/openapi/v2', {
      headers: {
        accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
      },
    });
    expect(pb.headers.get('content-type')).toBe(
      'application/com.github.proto-openapi.spec.v2.v1.0+protobuf',
    );
    const bytes = Buffer.from(await pb.arrayBuffer());
    // Document.swagger (field 1, "2.0"), then the definitions.
    expect(bytes.subarray(0, 5)).toEqual(
      Buffer.from([0x0a, 3, 0x32, 0x2e, 0x30]),
    );
    expect(bytes.includes('io.k8s.api.core.v1.Pod')).toBe(true);
  });

  it('drops unknown fields with a Warning by default, ignores them on Ignore, refuses them on Strict', async () => {
    const collection = '/api/v1/namespaces/media/configmaps';
    const body = (name: string) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace: 'media', labelz: { a: 'b' } },
        data: { a: 'b' },
        dta: { c: 'd' },
      });
    const warned = await call(collection, {
      method: 'POST',
      body: body('warned'),
    });
    expect(warned.status).toBe(201);
    expect(warned.headers.get('warning')).toBe(
      '299 - "unknown field \\"metadata.labelz\\"", 299 - "unknown field \\"dta\\""',
    );
    const stored = await warned.json();
    expect(stored.dta).toBeUndefined();
    expect(stored.metadata.labelz).toBeUndefined();
    expect(stored.data).toEqual({ a: 'b' });

    const ignored = await call(`${collection}?fieldValidation=Ignore`, {
      method: 'POST',
      body: body('ignored'),
    });
    expect(ignored.status).toBe(201);
    expect(ignored.headers.get('warning')).toBeNull();

    const strict = await call(`${collection}?fieldValidation=Strict`, {
      method: 'POST',
      body: body('strict'),
    });
    expect(strict.status).toBe(400);
    expect((await strict.json()).message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "metadata.labelz", unknown field "dta"',
    );
    const bad = await call(`${collection}?fieldValidation=Loose`, {
      method: 'POST',
      body: body('bad'),
    });
    expect(bad.status).toBe(400);
  });
});
