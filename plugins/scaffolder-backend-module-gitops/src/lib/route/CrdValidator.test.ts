import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildHttpRoute, httpRouteValidator } from './httpRoute';

const good = () =>
  buildHttpRoute({
    name: 'mealie',
    namespace: 'productivity',
    hostnames: ['recipes.home.example.org'],
    gateway: {
      name: 'internal',
      namespace: 'kube-system',
      sectionName: 'https',
    },
    backend: { name: 'mealie', port: 9000 },
  });

describe('CrdValidator (HTTPRoute v1, Gateway API v1.5.1)', () => {
  const validator = httpRouteValidator();

  it('ships the CRD unchanged (pinned sha256)', () => {
    const file = path.resolve(
      __dirname,
      '../../../crds/gateway.networking.k8s.io_httproutes.yaml',
    );
    const sha = crypto
      .createHash('sha256')
      .update(fs.readFileSync(file))
      .digest('hex');
    expect(sha).toBe(
      '682203b109baecb18d38073a578f7bc2c17d22fe9b0c27bf030850abe014c370',
    );
  });

  it('can evaluate every CEL rule of the CRD', () => {
    const rules = validator.listRules();
    expect(rules.length).toBeGreaterThan(40);
    expect(rules.filter(r => r.unsupported)).toEqual([]);
  });

  it('accepts a generated route and applies the CRD defaults', () => {
    const { problems, defaulted } = validator.validate(good());
    expect(problems).toEqual([]);
    const spec = (defaulted as any).spec;
    expect(spec.parentRefs[0]).toMatchObject({
      group: 'gateway.networking.k8s.io',
      kind: 'Gateway',
    });
    expect(spec.rules[0].backendRefs[0]).toMatchObject({
      group: '',
      kind: 'Service',
      weight: 1,
    });
  });

  it('refuses a Service backend without a port (a CEL-only rule)', () => {
    const route = good();
    delete (route.spec.rules[0].backendRefs[0] as any).port;
    const { problems } = validator.validate(route);
    expect(problems).toEqual([
      expect.objectContaining({
        field: 'spec.rules[0].backendRefs[0]',
        rule: 'crd-cel',
        message: expect.stringContaining(
          'Must have port for Service reference',
        ),
      }),
    ]);
  });

  it.each([
    ['foo', "value must be an absolute path and start with '/'"],
    ['/a//b', "must not contain '//'"],
    ['/a/../b', "must not contain '/../'"],
    ['/a%2fb', "must not contain '%2f'"],
    ['/a/.', "must not end with '/.'"],
    ['/a b', 'must only contain valid characters'],
  ])('refuses path %s by its CEL rule', (value, message) => {
    const route = good();
    route.spec.rules[0].matches![0].path.value = value;
    const { problems } = validator.validate(route);
    expect(problems).toEqual([
      expect.objectContaining({
        field: 'spec.rules[0].matches[0].path',
        rule: 'crd-cel',
        message: expect.stringContaining(message),
      }),
    ]);
  });

  it('refuses two refs to the same Gateway without distinct sectionNames', () => {
    const route = good();
    route.spec.parentRefs.push({ ...route.spec.parentRefs[0] });
    const { problems } = validator.validate(route);
    expect(problems.map(p => p.message).join()).toContain(
      'sectionName must be unique',
    );
  });

  it('refuses a backendRequest timeout longer than the request timeout', () => {
    const route: any = good();
    route.spec.rules[0].timeouts = { request: '10s', backendRequest: '1m' };
    const { problems } = validator.validate(route);
    expect(problems).toEqual([
      expect.objectContaining({
        field: 'spec.rules[0].timeouts',
        message: expect.stringContaining(
          'backendRequest timeout cannot be longer',
        ),
      }),
    ]);
    route.spec.rules[0].timeouts = { request: '1m', backendRequest: '10s' };
    expect(validator.validate(route).problems).toEqual([]);
  });

  it('refuses schema violations with the field and keyword', () => {
    const route: any = good();
    route.spec.hostnames = ['Photos.Home.example.org'];
    route.spec.rules[0].backendRefs[0].port = 70000;
    route.spec.parentRefs[0].sectionName = 'HTTPS!';
    const { problems } = validator.validate(route);
    expect(problems.map(p => [p.field, p.rule])).toEqual(
      expect.arrayContaining([
        ['spec.hostnames[0]', 'crd-schema:pattern'],
        ['spec.rules[0].backendRefs[0].port', 'crd-schema:maximum'],
        ['spec.parentRefs[0].sectionName', 'crd-schema:pattern'],
      ]),
    );
  });

  it('refuses unknown fields like strict field validation', () => {
    const route: any = good();
    route.spec.hostname = 'x.home.example.org';
    const { problems } = validator.validate(route);
    expect(problems).toEqual([
      expect.objectContaining({
        field: 'spec.hostname',
        rule: 'crd-schema:unknown-field',
      }),
    ]);
  });

  it('refuses a filter repeated in one rule', () => {
    const route: any = good();
    const mod = {
      type: 'RequestHeaderModifier',
      requestHeaderModifier: { set: [{ name: 'X-A', value: '1' }] },
    };
    route.spec.rules[0].filters = [mod, mod];
    const { problems } = validator.validate(route);
    expect(problems.map(p => p.message).join()).toContain(
      'RequestHeaderModifier filter cannot be repeated',
    );
  });
});
