import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import fs from 'node:fs';
import { parse } from 'yaml';
import { PROTO_DIR } from '../protos';
import { standardKeyPem } from '../talosPki';

/**
 * The demo Talos cluster seen from a plain grpc-js client holding the
 * talosconfig the sim wrote, as talosctl would hold it.
 */
const pkg = grpc.loadPackageDefinition(
  protoLoader.loadSync(
    [
      'machine/machine.proto',
      'cosi/state.proto',
      'storage/storage.proto',
      'time/time.proto',
    ],
    {
      includeDirs: [PROTO_DIR],
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
    },
  ),
) as any;

export type Ctx = {
  endpoints: string[];
  nodes: string[];
  ca: string;
  crt: string;
  key: string;
};

export function readTalosconfig(file: string): Ctx {
  const config = parse(fs.readFileSync(file, 'utf8'));
  const c = config.contexts[config.context];
  const d = (s: string) => Buffer.from(s, 'base64').toString('utf8');
  return {
    endpoints: c.endpoints,
    nodes: c.nodes,
    ca: d(c.ca),
    crt: d(c.crt),
    key: d(c.key),
  };
}

export function credentials(c: { ca: string; crt: string; key: string }) {
  return grpc.credentials.createSsl(
    Buffer.from(c.ca),
    Buffer.from(standardKeyPem(c.key)),
    Buffer.from(c.crt),
  );
}

export function clients(
  c: Pick<Ctx, 'ca' | 'crt' | 'key'> & { endpoints?: string[] },
  endpoint = c.endpoints![0],
) {
  const creds = credentials(c);
  return {
    machine: new pkg.machine.MachineService(endpoint, creds),
    state: new pkg.cosi.resource.State(endpoint, creds),
    storage: new pkg.storage.StorageService(endpoint, creds),
    time: new pkg.time.TimeService(endpoint, creds),
  };
}

export function md(entries: Record<string, string | string[]> = {}) {
  const m = new grpc.Metadata();
  for (const [k, v] of Object.entries(entries)) {
    for (const x of Array.isArray(v) ? v : [v]) m.add(k, x);
  }
  return m;
}

export function unary(
  client: any,
  method: string,
  request: unknown,
  metadata = md(),
): Promise<any> {
  return new Promise((resolve, reject) =>
    client[method](
      request,
      metadata,
      { deadline: Date.now() + 5000 },
      (err: unknown, res: unknown) => (err ? reject(err) : resolve(res)),
    ),
  );
}

export function stream(
  client: any,
  method: string,
  request: unknown,
  metadata = md(),
  max = Infinity,
): Promise<any[]> {
  return new Promise((resolve, reject) => {
    const out: any[] = [];
    const call = client[method](request, metadata, {
      deadline: Date.now() + 5000,
    });
    call.on('data', (d: unknown) => {
      out.push(d);
      if (out.length >= max) {
        call.cancel();
        resolve(out);
      }
    });
    call.on('error', (e: any) =>
      e.code === grpc.status.CANCELLED ? resolve(out) : reject(e),
    );
    call.on('end', () => resolve(out));
  });
}
