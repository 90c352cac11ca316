import type { ServerResponse } from 'node:http';

/**
 * The Proxmox HTTP conventions (pve-http-server): every body is an envelope
 * `{"data": ...}`; errors carry the first line of the message as the HTTP
 * reason phrase, and `message` (with its trailing newline) plus `errors` for
 * parameter problems in the body; failed authentication answers with an
 * empty body.
 */
export class PveError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Record<string, string>,
    /** 401s have no body at all. */
    readonly emptyBody = false,
  ) {
    super(message);
  }
}

export function parameterError(errors: Record<string, string>): PveError {
  return new PveError(400, 'Parameter verification failed.', errors);
}

const baseHeaders = {
  'cache-control': 'max-age=0',
  pragma: 'no-cache',
  server: 'pve-api-daemon/3.0',
  expires: 'Thu, 01 Jan 1970 00:00:00 GMT',
};

/** Reason phrases may not hold control characters; PVE uses the first line. */
function reason(message: string) {
  return message.split('\n')[0].replace(/[^\x20-\x7e]/g, '?');
}

export function sendData(
  res: ServerResponse,
  data: unknown,
  extra: Record<string, unknown> = {},
) {
  const text = JSON.stringify({ data, ...extra });
  res.writeHead(200, 'OK', {
    ...baseHeaders,
    'content-type': 'application/json;charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * The `extjs` formatter (pve-http-server Formatter::Standard): HTTP 200
 * always, `success` 1 or 0, the error's message and parameter errors in
 * the body.
 */
export function sendExtjs(
  res: ServerResponse,
  data: unknown,
  extra: Record<string, unknown>,
  error?: PveError,
) {
  const body: Record<string, unknown> = {
    data,
    ...extra,
    success: error ? 0 : 1,
    ...(error && { message: error.message.replace(/\n?$/, '\n') }),
    ...(error?.errors && { errors: error.errors }),
  };
  const text = JSON.stringify(body);
  res.writeHead(200, 'OK', {
    ...baseHeaders,
    'content-type': 'application/json;charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: PveError) {
  if (error.emptyBody) {
    res.writeHead(error.status, reason(error.message), {
      ...baseHeaders,
      'content-length': 0,
    });
    res.end();
    return;
  }
  const message = error.message.endsWith('\n')
    ? error.message
    : `${error.message}\n`;
  const body: Record<string, unknown> = { data: null, message };
  if (error.errors) body.errors = error.errors;
  const text = JSON.stringify(body);
  res.writeHead(error.status, reason(error.message), {
    ...baseHeaders,
    'content-type': 'application/json;charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** A parameter as the schema declares it (the subset of JSONSchema.pm we need). */
export type ParamSpec = {
  type: 'string' | 'integer' | 'boolean' | 'number';
  optional?: 1;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  format?: string;
  pattern?: string;
  maxLength?: number;
};

const booleanTrue = /^(1|true|yes|on)$/i;
const booleanFalse = /^(0|false|no|off)$/i;

/**
 * Checks parameters as pve-common JSONSchema.pm does (additionalProperties 0:
 * unknown parameters are refused). Returns the values, typed.
 */
export function verifyParams(
  specs: Record<string, ParamSpec>,
  raw: Record<string, string>,
): Record<string, string | number | boolean> {
  const errors: Record<string, string> = {};
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(raw)) {
    const spec = specs[key];
    if (!spec) {
      errors[key] =
        'property is not defined in schema and the schema does not allow additional properties';
      continue;
    }
    switch (spec.type) {
      case 'integer':
      case 'number': {
        const ok =
          spec.type === 'integer'
            ? /^[+-]?\d+$/.test(value)
            : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value);
        if (!ok) {
          errors[key] = `type check ('${spec.type}') failed - got '${value}'`;
          continue;
        }
        const n = Number(value);
        if (spec.minimum !== undefined && n < spec.minimum) {
          errors[key] = `value must have a minimum value of ${spec.minimum}`;
          continue;
        }
        if (spec.maximum !== undefined && n > spec.maximum) {
          errors[key] = `value must have a maximum value of ${spec.maximum}`;
          continue;
        }
        out[key] = n;
        break;
      }
      case 'boolean':
        if (booleanTrue.test(value)) out[key] = true;
        else if (booleanFalse.test(value)) out[key] = false;
        else errors[key] = `type check ('boolean') failed - got '${value}'`;
        break;
      default:
        if (spec.enum && !spec.enum.includes(value)) {
          errors[
            key
          ] = `value '${value}' does not have a value in the enumeration '${spec.enum.join(
            ', ',
          )}'`;
          continue;
        }
        if (spec.maxLength !== undefined && value.length > spec.maxLength) {
          errors[key] = `value may only be ${spec.maxLength} characters long`;
          continue;
        }
        if (spec.pattern && !new RegExp(`^(?:${spec.pattern})$`).test(value)) {
          errors[key] = `value does not match the regex pattern`;
          continue;
        }
        if (
          spec.format === 'pve-node' &&
          !/^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(value)
        ) {
          errors[key] = `value does not look like a valid node name`;
          continue;
        }
        if (
          spec.format === 'pve-storage-id' &&
          !/^[a-z][a-z0-9\-_.]*[a-z0-9]$/i.test(value)
        ) {
          errors[key] = `storage ID '${value}' contains illegal characters`;
          continue;
        }
        out[key] = value;
    }
  }
  for (const [key, spec] of Object.entries(specs)) {
    if (!spec.optional && !(key in raw) && !(key in errors)) {
      errors[key] = 'property is missing and it is not optional';
    }
  }
  if (Object.keys(errors).length) throw parameterError(errors);
  return out;
}

/** Reusable parameter definitions, spelled as in the schema. */
export const P = {
  node: { type: 'string', format: 'pve-node' } as ParamSpec,
  vmid: {
    type: 'integer',
    format: 'pve-vmid',
    minimum: 100,
    maximum: 999999999,
  } as ParamSpec,
  optionalVmid: {
    type: 'integer',
    format: 'pve-vmid',
    minimum: 100,
    maximum: 999999999,
    optional: 1,
  } as ParamSpec,
  storage: { type: 'string', format: 'pve-storage-id' } as ParamSpec,
  optionalBool: { type: 'boolean', optional: 1 } as ParamSpec,
  optionalString: { type: 'string', optional: 1 } as ParamSpec,
  optionalInt: { type: 'integer', optional: 1 } as ParamSpec,
};
