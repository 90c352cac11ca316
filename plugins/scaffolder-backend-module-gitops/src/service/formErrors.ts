/**
 * The scaffolder checks template values with the `jsonschema` library and
 * answers a bad form with that library's errors ("does not meet dependency
 * required by instance.exposure", "does not match pattern
 * \"^(?!kube-)…\""). This turns them into sentences that name each field by
 * the title the form shows.
 */

type Schema = {
  title?: string;
  description?: string;
  enum?: unknown[];
  enumNames?: string[];
  properties?: Record<string, Schema>;
  dependencies?: Record<string, Schema | string[]>;
  oneOf?: Schema[];
  required?: string[];
  'ui:field'?: string;
};

/** The parts of a jsonschema ValidationError the scaffolder sends back. */
export type SchemaError = {
  property: string;
  name: string;
  argument?: unknown;
  message: string;
  schema?: Schema | string;
  instance?: unknown;
};

/** Whether a 400 body is the scaffolder's list of jsonschema errors. */
export function isSchemaErrorList(
  body: unknown,
): body is { errors: SchemaError[] } {
  const errors = (body as { errors?: unknown })?.errors;
  return (
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every(
      e =>
        typeof e?.property === 'string' &&
        typeof e?.name === 'string' &&
        typeof e?.message === 'string',
    )
  );
}

/** Every property schema the errors mention, by name, for titles and choices. */
function fieldsOf(errors: SchemaError[]): Map<string, Schema> {
  const fields = new Map<string, Schema>();
  const visit = (schema: Schema | undefined) => {
    if (!schema || typeof schema !== 'object') return;
    for (const [name, field] of Object.entries(schema.properties ?? {})) {
      if (!fields.has(name) || field.title) fields.set(name, field);
    }
    for (const dep of Object.values(schema.dependencies ?? {})) {
      if (!Array.isArray(dep)) {
        visit(dep);
        dep.oneOf?.forEach(visit);
      }
    }
  };
  for (const e of errors) if (typeof e.schema === 'object') visit(e.schema);
  return fields;
}

const quote = (s: string) => `"${s}"`;

function shown(value: unknown, field: Schema | undefined): string {
  if (field?.['ui:field'] === 'Secret') return 'the value';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return quote(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/** A choice as the form shows it (its enumName). */
function choice(field: Schema | undefined, value: unknown): string {
  const i = field?.enum?.indexOf(value) ?? -1;
  return quote(
    i >= 0 && field?.enumNames?.[i] ? field.enumNames[i] : String(value),
  );
}

/**
 * One sentence per problem, each naming the field by its title. The
 * `dependencies` wrapper errors are dropped: the errors inside them say what
 * is missing.
 */
export function describeFormErrors(
  errors: SchemaError[],
  values: Record<string, unknown> = {},
): string[] {
  const fields = fieldsOf(errors);
  const titleOf = (name: string) => quote(fields.get(name)?.title ?? name);
  const nameOf = (property: string) =>
    property
      .replace(/^instance\.?/, '')
      .split('.')[0]
      .replace(/\[\d+\]$/, '');
  const sentences = errors.flatMap((e): string[] => {
    // The template's secrets schema: the scaffolder words those itself.
    if (e.property.startsWith('secrets')) return [e.message];
    const field = typeof e.schema === 'object' ? e.schema : undefined;
    const name = nameOf(e.property);
    const title = quote(field?.title ?? fields.get(name)?.title ?? name);
    switch (e.name) {
      case 'dependencies':
        return [];
      case 'required': {
        const missing = String(e.argument);
        // Inside a dependency: required because another field is filled in.
        return name
          ? [
              `${titleOf(missing)} is required when ${titleOf(
                name,
              )} is filled in`,
            ]
          : [`${titleOf(missing)} is required`];
      }
      case 'oneOf': {
        // A dependency with one branch per choice (e.g. a hostname only
        // when the app is reachable): say what the chosen branch needs.
        const value = values[name];
        const branch = (field?.oneOf ?? []).find(b =>
          b.properties?.[name]?.enum?.includes(value),
        );
        const missing = (branch?.required ?? []).filter(
          r => values[r] === undefined || values[r] === '',
        );
        return missing.length
          ? missing.map(
              m =>
                `${titleOf(m)} is required when ${titleOf(name)} is ${choice(
                  fields.get(name),
                  value,
                )}`,
            )
          : [`${title} does not fit the other answers`];
      }
      case 'pattern':
        return [
          `${title}: ${shown(e.instance, field)} is not allowed${
            field?.description ? ` (${field.description.trim()})` : ''
          }`,
        ];
      case 'enum':
        return [
          `${title} must be one of ${(field?.enum ?? [])
            .map(v => choice(field, v))
            .join(', ')}`,
        ];
      case 'maxLength':
        return [`${title} may be at most ${e.argument} characters long`];
      case 'minLength':
        return [`${title} must be at least ${e.argument} characters long`];
      case 'maximum':
        return [`${title} must be at most ${e.argument}`];
      case 'minimum':
        return [`${title} must be at least ${e.argument}`];
      case 'maxItems':
        return [`${title} may have at most ${e.argument} entries`];
      case 'type':
        return [`${title} must be a ${e.argument}`];
      default:
        return [`${title} ${e.message}`];
    }
  });
  return [...new Set(sentences)];
}
