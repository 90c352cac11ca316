import { toError } from '@backstage/errors';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { Environment } from '@marcbachmann/cel-js';
import { Problem } from '../validation/problems';
import {
  createKubernetesCelEnvironment,
  escapeCelPropertyName,
  rewriteHasMacro,
} from './kubernetesCel';

type Schema = {
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-validations'?: Array<{
    rule: string;
    message?: string;
    messageExpression?: string;
    fieldPath?: string;
    reason?: string;
  }>;
  [key: string]: unknown;
};

type CompiledRule = {
  rule: string;
  message: string;
  fieldPath?: string;
  evaluate?: (ctx: Record<string, unknown>) => unknown;
  /** why this rule cannot be evaluated here, when it cannot */
  unsupported?: string;
  transition: boolean;
};

type CustomResourceDefinition = {
  spec: {
    group: string;
    names: { kind: string };
    versions: Array<{ name: string; schema: { openAPIV3Schema: Schema } }>;
  };
};

const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Validates an object the way the API server would on create: OpenAPI schema
 * (with its defaults applied first, as the API server defaults before it
 * validates) and then every `x-kubernetes-validations` CEL rule of the CRD.
 * A plain JSON-schema validator skips the CEL rules; this one evaluates them
 * with cel-js, and refuses (names the rule) when one cannot be evaluated.
 */
export class CrdValidator {
  private readonly schema: Schema;
  private readonly validateSchema: ValidateFunction;
  private readonly rules = new Map<Schema, CompiledRule[]>();
  readonly apiVersion: string;
  readonly kind: string;

  constructor(crd: CustomResourceDefinition, version: string) {
    const found = crd.spec.versions.find(v => v.name === version);
    if (!found) {
      throw new Error(`CRD ${crd.spec.names.kind} has no version ${version}`);
    }
    this.apiVersion = `${crd.spec.group}/${version}`;
    this.kind = crd.spec.names.kind;
    this.schema = found.schema.openAPIV3Schema;
    const ajv = new Ajv({
      strict: false,
      allErrors: true,
      useDefaults: true,
      logger: false,
    });
    addFormats(ajv);
    this.validateSchema = ajv.compile(this.schema);
    const env = createKubernetesCelEnvironment();
    this.compileRules(this.schema, env);
  }

  /** Every rule this validator knows, with whether it can evaluate it. */
  listRules(): Array<{ rule: string; message: string; unsupported?: string }> {
    return [...this.rules.values()].flat().map(r => ({
      rule: r.rule,
      message: r.message,
      unsupported: r.unsupported,
    }));
  }

  /**
   * Returns the problems of an object (empty when the API server would accept
   * it) and the object with the CRD's defaults applied.
   */
  validate(object: unknown): { problems: Problem[]; defaulted: unknown } {
    // A JSON round trip, not structuredClone: values must be plain objects and
    // arrays of this realm for the CEL evaluator.
    const defaulted = JSON.parse(JSON.stringify(object ?? null));
    const problems: Problem[] = [];
    const obj = defaulted as Record<string, any>;
    if (obj?.apiVersion !== this.apiVersion || obj?.kind !== this.kind) {
      problems.push({
        field: 'apiVersion/kind',
        rule: 'crd-kind',
        message: `expected ${this.apiVersion} ${this.kind}, got ${obj?.apiVersion} ${obj?.kind}`,
      });
    }
    const name = obj?.metadata?.name;
    if (
      typeof name !== 'string' ||
      name.length > 253 ||
      !DNS1123_SUBDOMAIN.test(name)
    ) {
      problems.push({
        field: 'metadata.name',
        rule: 'dns1123-subdomain',
        message: `${JSON.stringify(name)} is not a DNS-1123 subdomain`,
      });
    }
    if (!this.validateSchema(defaulted)) {
      for (const error of this.validateSchema.errors ?? []) {
        problems.push(schemaProblem(error));
      }
      // CEL rules assume a schema-valid object (the API server stops here too).
      return { problems, defaulted };
    }
    this.walk(this.schema, defaulted, '', problems);
    return { problems, defaulted };
  }

  private compileRules(schema: Schema, env: Environment) {
    if (!schema || typeof schema !== 'object' || this.rules.has(schema)) return;
    const compiled: CompiledRule[] = [];
    for (const v of schema['x-kubernetes-validations'] ?? []) {
      const transition = /\boldSelf\b/.test(v.rule);
      const rule: CompiledRule = {
        rule: v.rule,
        message: v.message ?? `failed rule: ${v.rule}`,
        fieldPath: v.fieldPath,
        transition,
      };
      try {
        const parsed = env.parse(rewriteHasMacro(v.rule));
        rule.evaluate = ctx => parsed(ctx);
      } catch (error) {
        rule.unsupported = toError(error).message;
      }
      compiled.push(rule);
    }
    if (compiled.length > 0) this.rules.set(schema, compiled);
    for (const child of Object.values(schema.properties ?? {})) {
      this.compileRules(child, env);
    }
    if (schema.items) this.compileRules(schema.items, env);
    if (
      schema.additionalProperties &&
      typeof schema.additionalProperties === 'object'
    ) {
      this.compileRules(schema.additionalProperties, env);
    }
  }

  private walk(
    schema: Schema,
    value: unknown,
    path: string,
    problems: Problem[],
  ) {
    if (value === undefined || value === null) return;
    for (const rule of this.rules.get(schema) ?? []) {
      // Transition rules (oldSelf) only run on updates; a new object has none.
      if (rule.transition) continue;
      const field = joinPath(path || '<root>', rule.fieldPath);
      const shown =
        rule.rule.length > 160 ? `${rule.rule.slice(0, 157)}...` : rule.rule;
      if (!rule.evaluate) {
        problems.push({
          field,
          rule: 'crd-cel-unsupported',
          message: `cannot evaluate the CRD's CEL rule \`${shown}\` (${rule.unsupported}); refusing instead of skipping it`,
        });
        continue;
      }
      let result: unknown;
      try {
        result = rule.evaluate({ self: toCel(value, schema) });
      } catch (error) {
        problems.push({
          field,
          rule: 'crd-cel-unsupported',
          message: `cannot evaluate the CRD's CEL rule \`${shown}\`: ${
            toError(error).message
          }; refusing instead of skipping it`,
        });
        continue;
      }
      if (result !== true) {
        problems.push({
          field,
          rule: 'crd-cel',
          message: `${rule.message} (CRD rule \`${shown}\`)`,
        });
      }
    }
    if (Array.isArray(value)) {
      if (schema.items) {
        value.forEach((item, i) =>
          this.walk(schema.items!, item, `${path}[${i}]`, problems),
        );
      }
      return;
    }
    if (typeof value === 'object') {
      const closed =
        schema.properties !== undefined &&
        schema.additionalProperties === undefined &&
        !schema['x-kubernetes-preserve-unknown-fields'];
      for (const [key, child] of Object.entries(
        value as Record<string, unknown>,
      )) {
        if (closed && !(key in schema.properties!)) {
          // The API server would prune it silently; kubectl's strict field
          // validation refuses it. A generator must not emit either.
          problems.push({
            field: path ? `${path}.${key}` : key,
            rule: 'crd-schema:unknown-field',
            message: `is not a field of ${this.kind} (strict field validation)`,
          });
          continue;
        }
        const childSchema =
          schema.properties?.[key] ??
          (typeof schema.additionalProperties === 'object'
            ? schema.additionalProperties
            : undefined);
        if (childSchema) {
          this.walk(
            childSchema,
            child,
            path ? `${path}.${key}` : key,
            problems,
          );
        }
      }
    }
  }
}

/** Converts JSON to CEL values the way the API server types them. */
function toCel(value: unknown, schema: Schema | undefined): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) {
    const list: unknown[] = [];
    for (const item of value) list.push(toCel(item, schema?.items));
    return list;
  }
  if (typeof value === 'number') {
    return schema?.type === 'integer' && Number.isInteger(value)
      ? BigInt(value)
      : value;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    const isMap =
      !schema?.properties && typeof schema?.additionalProperties === 'object';
    for (const [key, child] of Object.entries(
      value as Record<string, unknown>,
    )) {
      const childSchema =
        schema?.properties?.[key] ??
        (typeof schema?.additionalProperties === 'object'
          ? schema.additionalProperties
          : undefined);
      if (isMap) {
        out[key] = toCel(child, childSchema);
      } else {
        const escaped = escapeCelPropertyName(key);
        if (escaped !== undefined) out[escaped] = toCel(child, childSchema);
      }
    }
    return out;
  }
  return value;
}

function joinPath(path: string, fieldPath?: string) {
  return fieldPath ? `${path}${fieldPath}` : path;
}

function schemaProblem(error: ErrorObject): Problem {
  const field =
    error.instancePath
      .split('/')
      .slice(1)
      .map(p =>
        /^\d+$/.test(p)
          ? `[${p}]`
          : `.${p.replace(/~1/g, '/').replace(/~0/g, '~')}`,
      )
      .join('')
      .replace(/^\./, '') || '<root>';
  const params = error.params as Record<string, unknown>;
  let detail = error.message ?? 'is invalid';
  if (error.keyword === 'pattern') detail = `must match ${params.pattern}`;
  if (error.keyword === 'enum') {
    detail = `must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
  }
  if (error.keyword === 'additionalProperties') {
    detail = `has unknown field "${params.additionalProperty}"`;
  }
  if (error.keyword === 'required') {
    detail = `needs field "${params.missingProperty}"`;
  }
  return { field, rule: `crd-schema:${error.keyword}`, message: detail };
}
