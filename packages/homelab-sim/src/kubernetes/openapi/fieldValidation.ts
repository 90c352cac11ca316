import type { ResourceType } from '../api/resources';
import { KubeError } from '../api/status';
import { kindSchema } from './documents';
import type { OpenApiSchema } from './builtInSchemas';

/**
 * The API server's field validation on writes (`?fieldValidation=`,
 * KEP-2885): fields the kind's schema does not know are dropped, and
 * reported as a `Warning` header (`Warn`, the server's default), a 400
 * (`Strict`, what kubectl 1.27+ sends once the OpenAPI v3 document lists
 * the parameter) or not at all (`Ignore`). Paths are written as the
 * strict decoder writes them: `spec.template.spec.containers[0].nme`.
 */
export function validateFields(
  resource: ResourceType,
  object: Record<string, unknown>,
  directive: string | null,
): string[] {
  const mode = directive ?? 'Warn';
  if (!['Ignore', 'Warn', 'Strict'].includes(mode)) {
    throw new KubeError(
      400,
      `invalid fieldValidation directive: ${mode}, must be one of Ignore, Warn, Strict`,
      'BadRequest',
    );
  }
  const found = kindSchema(resource);
  if (!found) return [];
  const unknown: string[] = [];
  const resolve = (
    schema: OpenApiSchema | undefined,
  ): OpenApiSchema | undefined => {
    const ref: string | undefined = schema?.$ref ?? schema?.allOf?.[0]?.$ref;
    return ref
      ? found.schemas[ref.replace('#/components/schemas/', '')]
      : schema;
  };
  const walk = (value: unknown, raw: OpenApiSchema | undefined, at: string) => {
    const schema = resolve(raw);
    if (!schema || schema['x-kubernetes-preserve-unknown-fields']) return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, schema.items, `${at}[${i}]`));
      return;
    }
    if (!value || typeof value !== 'object') return;
    const fields = value as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      const path = at ? `${at}.${key}` : key;
      const known = schema.properties?.[key];
      if (known) walk(fields[key], known, path);
      else if (typeof schema.additionalProperties === 'object')
        walk(fields[key], schema.additionalProperties, path);
      else if (!schema.additionalProperties) {
        unknown.push(`unknown field "${path}"`);
        delete fields[key];
      }
    }
  };
  walk(object, found.schema, '');
  if (unknown.length > 0 && mode === 'Strict') {
    throw new KubeError(
      400,
      `${resource.kind} in version "${
        resource.version
      }" cannot be handled as a ${
        resource.kind
      }: strict decoding error: ${unknown.join(', ')}`,
      'BadRequest',
    );
  }
  return mode === 'Warn' ? unknown : [];
}
