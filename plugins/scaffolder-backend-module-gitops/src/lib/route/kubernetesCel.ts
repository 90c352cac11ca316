import { Environment } from '@marcbachmann/cel-js';

/**
 * A CEL environment shaped like the Kubernetes API server's for CRD
 * `x-kubernetes-validations`: `self` is the value at the rule's place in the
 * object, and the Kubernetes extension libraries the Gateway API and most
 * CRDs use are available. cel-js already brings the CEL standard library,
 * `duration()` and the ext-strings functions (`split`, `lowerAscii`,
 * `indexOf`, `substring`, `join`, …); the rest is registered here. A rule
 * calling anything else does not evaluate, and the validator says so for
 * that rule instead of passing it.
 */
export function createKubernetesCelEnvironment(): Environment {
  const env = new Environment({
    unlistedVariablesAreDyn: true,
    homogeneousAggregateLiterals: false,
  });
  env
    // Kubernetes strings library (k8s.io/apiserver/pkg/cel/library): the
    // ones cel-js lacks.
    .registerFunction('string.charAt(int): string', (s: string, i: bigint) => {
      const n = Number(i);
      if (n < 0 || n > s.length) throw new Error('charAt: index out of range');
      return s.charAt(n);
    })
    .registerFunction(
      'string.replace(string, string): string',
      (s: string, from: string, to: string) => s.split(from).join(to),
    )
    .registerFunction(
      'string.replace(string, string, int): string',
      (s: string, from: string, to: string, n: bigint) => {
        let count = Number(n);
        if (count < 0) return s.split(from).join(to);
        let out = '';
        let rest = s;
        while (count > 0) {
          const at = rest.indexOf(from);
          if (at < 0) break;
          out += rest.slice(0, at) + to;
          rest = rest.slice(at + from.length);
          count--;
        }
        return out + rest;
      },
    )
    // Kubernetes regex library.
    .registerFunction(
      'string.find(string): string',
      (s: string, re: string) => {
        const m = new RegExp(re).exec(s);
        return m ? m[0] : '';
      },
    )
    .registerFunction(
      'string.findAll(string): list<string>',
      (s: string, re: string) =>
        [...s.matchAll(new RegExp(re, 'g'))].map(m => m[0]),
    )
    .registerFunction(
      'string.findAll(string, int): list<string>',
      (s: string, re: string, n: bigint) => {
        const all = [...s.matchAll(new RegExp(re, 'g'))].map(m => m[0]);
        return Number(n) < 0 ? all : all.slice(0, Number(n));
      },
    )
    // Kubernetes lists library.
    .registerFunction('list.isSorted(): bool', (l: unknown[]) =>
      l.every((v, i) => i === 0 || compare(l[i - 1], v) <= 0),
    )
    .registerFunction('list.sum(): dyn', (l: unknown[]) => {
      if (l.length === 0) return 0n;
      return l.reduce((a: any, b: any) => a + b);
    })
    .registerFunction('list.min(): dyn', (l: unknown[]) => {
      if (l.length === 0) throw new Error('min called on an empty list');
      return l.reduce((a, b) => (compare(a, b) <= 0 ? a : b));
    })
    .registerFunction('list.max(): dyn', (l: unknown[]) => {
      if (l.length === 0) throw new Error('max called on an empty list');
      return l.reduce((a, b) => (compare(a, b) >= 0 ? a : b));
    })
    .registerFunction('list.indexOf(dyn): int', (l: unknown[], v: unknown) =>
      BigInt(l.findIndex(x => compare(x, v) === 0)),
    )
    .registerFunction(
      'list.lastIndexOf(dyn): int',
      (l: unknown[], v: unknown) => {
        for (let i = l.length - 1; i >= 0; i--)
          if (compare(l[i], v) === 0) return BigInt(i);
        return -1n;
      },
    )
    // Target of rewriteHasMacro: has(e.f) for any operand e.
    .registerFunction(
      'hasField(dyn, string): bool',
      (target: unknown, field: string) => {
        if (target instanceof Map) return target.has(field);
        if (
          target !== null &&
          typeof target === 'object' &&
          !Array.isArray(target)
        ) {
          return Object.prototype.hasOwnProperty.call(target, field);
        }
        throw new Error(
          `has() on a ${
            Array.isArray(target) ? 'list' : typeof target
          }, not an object`,
        );
      },
    )
    // Kubernetes URL library (the predicate only).
    .registerFunction('isURL(string): bool', (s: string) => {
      try {
        const u = new URL(s);
        return u.protocol.length > 1;
      } catch {
        return false;
      }
    });
  return env;
}

function order<T>(a: T, b: T): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return order(a, b);
  if (typeof a === 'number' || typeof b === 'number')
    return order(Number(a), Number(b));
  if (typeof a === 'string' && typeof b === 'string') return order(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean')
    return Number(a) - Number(b);
  throw new Error(`cannot compare ${typeof a} with ${typeof b}`);
}

// CEL keywords that Kubernetes escapes as __<word>__ when they name a property.
const RESERVED = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);

/**
 * Kubernetes' property-name escaping for CEL (apiextensions "Escaping"):
 * keywords become __kw__, and "__", ".", "-", "/" inside names become
 * __underscores__, __dot__, __dash__, __slash__. Undefined = not accessible.
 */
export function escapeCelPropertyName(name: string): string | undefined {
  if (RESERVED.has(name)) return `__${name}__`;
  if (!/^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/.test(name)) return undefined;
  return name
    .replace(/__/g, '__underscores__')
    .replace(/\./g, '__dot__')
    .replace(/-/g, '__dash__')
    .replace(/\//g, '__slash__');
}

/**
 * cel-js accepts `has()` only on a chain of field selections from a variable,
 * so `has(self.matches[0].path)` (standard CEL, used by the Gateway API CRDs)
 * does not parse. Rewrites every `has(<operand>.<field>)` into
 * `hasField(<operand>, "<field>")`, which tests the same thing: presence of a
 * key in the object the operand evaluates to (an absent operand is still an
 * error, as in CEL).
 */
export function rewriteHasMacro(rule: string): string {
  let out = '';
  let i = 0;
  while (i < rule.length) {
    const str = skipString(rule, i);
    if (str > i) {
      out += rule.slice(i, str);
      i = str;
      continue;
    }
    if (
      rule.startsWith('has(', i) &&
      (i === 0 || !/[A-Za-z0-9_.]/.test(rule[i - 1]))
    ) {
      const close = matchingParen(rule, i + 3);
      const inner = rule.slice(i + 4, close);
      const dot = lastTopLevelDot(inner);
      const field = dot < 0 ? '' : inner.slice(dot + 1).trim();
      if (dot < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) {
        throw new Error(`has() needs a field selection, got has(${inner})`);
      }
      out += `hasField(${rewriteHasMacro(inner.slice(0, dot))}, "${field}")`;
      i = close + 1;
      continue;
    }
    out += rule[i];
    i++;
  }
  return out;
}

/** End index of a string literal starting at i (r"..", """..""", '..'), or i. */
function skipString(s: string, i: number): number {
  let j = i;
  if (
    (s[j] === 'r' || s[j] === 'R') &&
    (s[j + 1] === '"' || s[j + 1] === "'")
  ) {
    if (j > 0 && /[A-Za-z0-9_]/.test(s[j - 1])) return i;
    j++;
  }
  const q = s[j];
  if (q !== '"' && q !== "'") return i;
  const raw = j > i;
  const triple = s.startsWith(q.repeat(3), j);
  const end = triple ? q.repeat(3) : q;
  let k = j + end.length;
  while (k < s.length) {
    if (!raw && s[k] === '\\') {
      k += 2;
      continue;
    }
    if (s.startsWith(end, k)) return k + end.length;
    k++;
  }
  throw new Error('unterminated string literal');
}

function matchingParen(s: string, open: number): number {
  let depth = 0;
  let k = open;
  while (k < s.length) {
    const str = skipString(s, k);
    if (str > k) {
      k = str;
      continue;
    }
    if (s[k] === '(') depth++;
    if (s[k] === ')') {
      depth--;
      if (depth === 0) return k;
    }
    k++;
  }
  throw new Error('unbalanced parentheses');
}

function lastTopLevelDot(s: string): number {
  let depth = 0;
  let last = -1;
  let k = 0;
  while (k < s.length) {
    const str = skipString(s, k);
    if (str > k) {
      k = str;
      continue;
    }
    const c = s[k];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === '.' && depth === 0) last = k;
    k++;
  }
  return last;
}
