import { createHash } from 'node:crypto';
import protobuf from 'protobufjs';
import type { OpenApiSchema } from './builtInSchemas';
import { allOpenApiV3Documents } from './documents';

/**
 * `/openapi/v2`: the definitions of every group version's v3 document in
 * Swagger 2.0 form, as JSON or as the protobuf kubectl 1.26 and older read
 * for `explain` and client-side validation (gnostic's openapi_v2.Document;
 * field numbers from gnostic's OpenAPIv2.proto). v3-only keywords
 * (nullable, oneOf, anyOf, not) are left out, as the API server does for
 * CRDs it publishes in v2.
 */
const V3_REF = '#/components/schemas/';

/** Vendor extensions kubectl reads from the v2 document. */
const EXTENSIONS = [
  'x-kubernetes-group-version-kind',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-int-or-string',
  'x-kubernetes-embedded-resource',
];

const KEYWORDS = [
  'format',
  'title',
  'description',
  'default',
  'multipleOf',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxProperties',
  'minProperties',
  'required',
  'enum',
  'type',
  'readOnly',
];

function toV2(schema: OpenApiSchema): OpenApiSchema {
  const single = schema.allOf?.length === 1 ? schema.allOf[0] : undefined;
  if (single?.$ref) {
    return {
      ...(schema.description && { description: schema.description }),
      $ref: single.$ref.replace(V3_REF, '#/definitions/'),
    };
  }
  const out: OpenApiSchema = {};
  if (schema.$ref) out.$ref = schema.$ref.replace(V3_REF, '#/definitions/');
  for (const k of [...KEYWORDS, ...EXTENSIONS])
    if (schema[k] !== undefined) out[k] = schema[k];
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries<OpenApiSchema>(schema.properties).map(([k, v]) => [
        k,
        toV2(v),
      ]),
    );
  }
  if (schema.items) out.items = toV2(schema.items);
  if (typeof schema.additionalProperties === 'object')
    out.additionalProperties = toV2(schema.additionalProperties);
  else if (typeof schema.additionalProperties === 'boolean')
    out.additionalProperties = schema.additionalProperties;
  if (schema.allOf) out.allOf = schema.allOf.map(toV2);
  return out;
}

const root = protobuf.Root.fromJSON({
  nested: {
    Document: {
      fields: {
        swagger: { id: 1, type: 'string' },
        info: { id: 2, type: 'Info' },
        definitions: { id: 9, type: 'Definitions' },
      },
    },
    Info: {
      fields: {
        title: { id: 1, type: 'string' },
        version: { id: 2, type: 'string' },
      },
    },
    Definitions: {
      fields: {
        additionalProperties: { id: 1, rule: 'repeated', type: 'NamedSchema' },
      },
    },
    NamedSchema: {
      fields: {
        name: { id: 1, type: 'string' },
        value: { id: 2, type: 'Schema' },
      },
    },
    Any: { fields: { yaml: { id: 2, type: 'string' } } },
    NamedAny: {
      fields: {
        name: { id: 1, type: 'string' },
        value: { id: 2, type: 'Any' },
      },
    },
    AdditionalPropertiesItem: {
      oneofs: { oneof: { oneof: ['schema', 'boolean'] } },
      fields: {
        schema: { id: 1, type: 'Schema' },
        boolean: { id: 2, type: 'bool' },
      },
    },
    TypeItem: {
      fields: { value: { id: 1, rule: 'repeated', type: 'string' } },
    },
    ItemsItem: {
      fields: { schema: { id: 1, rule: 'repeated', type: 'Schema' } },
    },
    Properties: {
      fields: {
        additionalProperties: { id: 1, rule: 'repeated', type: 'NamedSchema' },
      },
    },
    Schema: {
      fields: {
        ref: { id: 1, type: 'string' },
        format: { id: 2, type: 'string' },
        title: { id: 3, type: 'string' },
        description: { id: 4, type: 'string' },
        default: { id: 5, type: 'Any' },
        multipleOf: { id: 6, type: 'double' },
        maximum: { id: 7, type: 'double' },
        exclusiveMaximum: { id: 8, type: 'bool' },
        minimum: { id: 9, type: 'double' },
        exclusiveMinimum: { id: 10, type: 'bool' },
        maxLength: { id: 11, type: 'int64' },
        minLength: { id: 12, type: 'int64' },
        pattern: { id: 13, type: 'string' },
        maxItems: { id: 14, type: 'int64' },
        minItems: { id: 15, type: 'int64' },
        uniqueItems: { id: 16, type: 'bool' },
        maxProperties: { id: 17, type: 'int64' },
        minProperties: { id: 18, type: 'int64' },
        required: { id: 19, rule: 'repeated', type: 'string' },
        enum: { id: 20, rule: 'repeated', type: 'Any' },
        additionalProperties: { id: 21, type: 'AdditionalPropertiesItem' },
        type: { id: 22, type: 'TypeItem' },
        items: { id: 23, type: 'ItemsItem' },
        allOf: { id: 24, rule: 'repeated', type: 'Schema' },
        properties: { id: 25, type: 'Properties' },
        readOnly: { id: 27, type: 'bool' },
        vendorExtension: { id: 31, rule: 'repeated', type: 'NamedAny' },
      },
    },
  },
});

/** A value as gnostic's Any carries it: YAML text (JSON is YAML). */
const any = (v: unknown) => ({ yaml: `${JSON.stringify(v)}\n` });

/** A v2 JSON schema as gnostic's Schema message. */
function toMessage(s: OpenApiSchema): Record<string, unknown> {
  const m: Record<string, unknown> = {};
  for (const k of KEYWORDS) {
    if (s[k] === undefined) continue;
    if (k === 'type') m.type = { value: [].concat(s.type) };
    else if (k === 'default') m.default = any(s.default);
    else if (k === 'enum') m.enum = s.enum.map(any);
    else m[k] = s[k];
  }
  if (s.$ref) m.ref = s.$ref;
  if (s.properties) {
    m.properties = {
      additionalProperties: Object.entries<OpenApiSchema>(s.properties).map(
        ([name, v]) => ({ name, value: toMessage(v) }),
      ),
    };
  }
  if (s.items) m.items = { schema: [toMessage(s.items)] };
  if (typeof s.additionalProperties === 'object')
    m.additionalProperties = { schema: toMessage(s.additionalProperties) };
  else if (typeof s.additionalProperties === 'boolean')
    m.additionalProperties = { boolean: s.additionalProperties };
  if (s.allOf) m.allOf = s.allOf.map(toMessage);
  const extensions = EXTENSIONS.filter(k => s[k] !== undefined);
  if (extensions.length > 0)
    m.vendorExtension = extensions.map(name => ({ name, value: any(s[name]) }));
  return m;
}

type V2 = { json: string; protobuf: Buffer; etag: string };
let built: V2 | undefined;

/** The v2 document, built once from the v3 documents. */
export function openApiV2(): V2 {
  if (!built) {
    const definitions: Record<string, OpenApiSchema> = {};
    for (const { doc } of allOpenApiV3Documents()) {
      for (const [name, schema] of Object.entries<OpenApiSchema>(
        doc.components.schemas,
      ))
        definitions[name] ??= toV2(schema);
    }
    const info = { title: 'Kubernetes', version: 'unversioned' };
    const json = JSON.stringify({
      swagger: '2.0',
      info,
      paths: {},
      definitions,
    });
    const Document = root.lookupType('Document');
    const message = Document.fromObject({
      swagger: '2.0',
      info,
      definitions: {
        additionalProperties: Object.entries(definitions).map(
          ([name, value]) => ({ name, value: toMessage(value) }),
        ),
      },
    });
    const encoded = Buffer.from(Document.encode(message).finish());
    built = {
      json,
      protobuf: encoded,
      etag: createHash('sha512').update(json).digest('hex').toUpperCase(),
    };
  }
  return built;
}
