import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Validates answers against the `definitions` of Gitea 1.22's own swagger
 * (copied from reference/gitea). Stricter than the document itself: unknown
 * keys are errors, so a misspelt field fails. Go pointers and nil slices
 * serialise as null, which swagger 2.0 cannot express, so null is accepted
 * for every property.
 */

// Real Gitea sends keys its swagger does not list; each one is named here with why.
const EXTRA_KEYS: Record<string, string[]> = {
  // services: User.MarshalJSON adds `username` for backward compatibility.
  User: ['username'],
};

type Schema = Record<string, any>;

function tighten(name: string, def: Schema): Schema {
  const out: Schema = { ...def };
  if (def.properties) {
    out.properties = {};
    for (const [key, prop] of Object.entries<Schema>(def.properties)) {
      // A slice of pointers can hold nil too (FilesResponse.files for a deleted file).
      const p =
        prop.type === 'array' && prop.items
          ? { ...prop, items: { anyOf: [prop.items, { type: 'null' }] } }
          : prop;
      out.properties[key] = { anyOf: [p, { type: 'null' }] };
    }
    for (const key of EXTRA_KEYS[name] ?? []) out.properties[key] = {};
    out.additionalProperties = false;
  }
  return out;
}

let ajv: Ajv | undefined;

function compiler(): Ajv {
  if (ajv) return ajv;
  const swagger = JSON.parse(
    fs.readFileSync(
      path.join(__dirname, '../gitea/__fixtures__/gitea-swagger-v1.22.0.json'),
      'utf8',
    ),
  );
  const definitions: Record<string, Schema> = {};
  for (const [name, def] of Object.entries<Schema>(swagger.definitions))
    definitions[name] = tighten(name, def);
  ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('int64', true);
  ajv.addFormat('int32', true);
  // Gitea sends '' for an organisation's e-mail.
  ajv.addFormat('email', {
    validate: (s: string) => s === '' || /^[^\s@]+@[^\s@]+$/.test(s),
  });
  ajv.addSchema({ $id: 'gitea', definitions });
  return ajv;
}

/** Throws with every violation when `value` is not a valid `definition` (array: each item). */
export function expectGiteaShape(definition: string, value: unknown) {
  const validate = compiler().getSchema(`gitea#/definitions/${definition}`);
  if (!validate)
    throw new Error(`no definition ${definition} in the Gitea swagger`);
  const items = Array.isArray(value) ? value : [value];
  for (const item of items) {
    if (!validate(item)) {
      throw new Error(
        `not a Gitea ${definition}:\n${validate.errors
          ?.map(
            e =>
              `  ${e.instancePath || '(root)'} ${e.message} ${JSON.stringify(
                e.params,
              )}`,
          )
          .join('\n')}`,
      );
    }
  }
}
