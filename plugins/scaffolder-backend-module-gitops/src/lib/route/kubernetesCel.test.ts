import fs from 'node:fs';
import { crdPath } from 'homelab-sim';
import { parse } from 'yaml';
import { CrdValidator } from './CrdValidator';
import {
  createKubernetesCelEnvironment,
  escapeCelPropertyName,
  rewriteHasMacro,
} from './kubernetesCel';

describe('Kubernetes CEL for CRD rules', () => {
  const env = createKubernetesCelEnvironment();
  const evaluate = (rule: string, self: unknown) =>
    env.parse(rewriteHasMacro(rule))({ self });

  it('rewrites has() on any operand, leaving strings alone', () => {
    expect(rewriteHasMacro('has(self.a)')).toBe('hasField(self, "a")');
    expect(
      rewriteHasMacro("!has(self.matches[0].path) || 'has(x.y)' == s"),
    ).toBe(`!hasField(self.matches[0], "path") || 'has(x.y)' == s`);
    expect(rewriteHasMacro('self.l.exists(f, has(f.a.b))')).toBe(
      'self.l.exists(f, hasField(f.a, "b"))',
    );
    expect(() => rewriteHasMacro('has(self)')).toThrow(/field selection/);
  });

  it('has() on an indexed element behaves like CEL', () => {
    expect(
      evaluate('has(self.matches[0].path)', { matches: [{ path: {} }] }),
    ).toBe(true);
    expect(evaluate('has(self.matches[0].path)', { matches: [{}] })).toBe(
      false,
    );
    expect(() =>
      evaluate('has(self.matches[0].path)', { matches: [] }),
    ).toThrow();
  });

  it('provides the Kubernetes library functions cel-js lacks', () => {
    expect(evaluate("self.s.replace('a', 'b')", { s: 'banana' })).toBe(
      'bbnbnb',
    );
    expect(evaluate("self.s.replace('a', 'b', 1)", { s: 'banana' })).toBe(
      'bbnana',
    );
    expect(evaluate('self.s.charAt(1)', { s: 'xyz' })).toBe('y');
    expect(evaluate("self.s.find('[0-9]+')", { s: 'ab12c3' })).toBe('12');
    expect(evaluate("self.s.findAll('[0-9]')", { s: 'a1b2' })).toEqual([
      '1',
      '2',
    ]);
    expect(evaluate('self.l.isSorted()', { l: [1n, 2n, 2n] })).toBe(true);
    expect(evaluate('self.l.isSorted()', { l: ['b', 'a'] })).toBe(false);
    expect(evaluate('self.l.sum() == 6', { l: [1n, 2n, 3n] })).toBe(true);
    expect(
      evaluate('self.l.max() == 3 && self.l.min() == 1', { l: [2n, 3n, 1n] }),
    ).toBe(true);
    expect(evaluate("self.l.indexOf('b')", { l: ['a', 'b'] })).toBe(1n);
    expect(
      evaluate("isURL('https://example.org/x') && !isURL('not a url')", {}),
    ).toBe(true);
    // ext strings from cel-js itself, used by the Gateway CRD.
    expect(evaluate("self.s.split('.').size()", { s: 'a.b.c' })).toBe(3n);
  });

  it('escapes property names like the API server', () => {
    expect(escapeCelPropertyName('namespace')).toBe('__namespace__');
    expect(escapeCelPropertyName('a-b.c/d')).toBe(
      'a__dash__b__dot__c__slash__d',
    );
    expect(escapeCelPropertyName('x__y')).toBe('x__underscores__y');
    expect(escapeCelPropertyName('1abc')).toBeUndefined();
  });

  it('refuses, per rule, a rule it cannot evaluate instead of passing it', () => {
    const crd = {
      spec: {
        group: 'example.org',
        names: { kind: 'Thing' },
        versions: [
          {
            name: 'v1',
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  apiVersion: { type: 'string' },
                  kind: { type: 'string' },
                  metadata: { type: 'object' },
                  spec: {
                    type: 'object',
                    properties: { size: { type: 'string' } },
                    'x-kubernetes-validations': [
                      {
                        rule: "quantity(self.size).isGreaterThan(quantity('1Gi'))",
                        message: 'too small',
                      },
                      {
                        rule: "self.size.endsWith('i')",
                        message: 'binary units',
                      },
                    ],
                  },
                },
              },
            },
          },
        ],
      },
    };
    const validator = new CrdValidator(crd as any, 'v1');
    const { problems } = validator.validate({
      apiVersion: 'example.org/v1',
      kind: 'Thing',
      metadata: { name: 'x' },
      spec: { size: '2G' },
    });
    expect(problems).toEqual([
      expect.objectContaining({
        field: 'spec',
        rule: 'crd-cel-unsupported',
        message: expect.stringContaining('quantity('),
      }),
      expect.objectContaining({
        field: 'spec',
        rule: 'crd-cel',
        message: expect.stringContaining('binary units'),
      }),
    ]);
  });

  it('evaluates every rule of the Gateway CRD too (split(), nested has())', () => {
    // The copy the demo homelab serves (one copy of each CRD in the repository).
    const file = crdPath('gateway.networking.k8s.io_gateways.yaml');
    const validator = new CrdValidator(
      parse(fs.readFileSync(file, 'utf8')),
      'v1',
    );
    const gateway = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'internal' },
      spec: {
        gatewayClassName: 'cilium',
        listeners: [
          {
            name: 'http',
            port: 80,
            protocol: 'HTTP',
            allowedRoutes: { namespaces: { from: 'Same' } },
          },
          {
            name: 'https',
            port: 443,
            protocol: 'HTTPS',
            hostname: '*.home.example.org',
            tls: {
              mode: 'Terminate',
              certificateRefs: [{ name: 'wildcard-tls' }],
            },
            allowedRoutes: { namespaces: { from: 'All' } },
          },
        ],
      },
    };
    expect(validator.validate(gateway).problems).toEqual([]);
    const broken = structuredClone(gateway);
    (broken.spec.listeners[0] as any).tls = {
      mode: 'Terminate',
      certificateRefs: [{ name: 'x' }],
    };
    broken.spec.listeners[1].name = 'http';
    const messages = validator
      .validate(broken)
      .problems.map(p => p.message)
      .join('\n');
    expect(messages).toContain('tls must not be specified for protocols');
    expect(messages).toContain('Listener name must be unique');
  });
});
