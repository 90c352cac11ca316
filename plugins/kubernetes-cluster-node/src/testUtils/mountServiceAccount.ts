import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SERVICE_ACCOUNT_DIR } from '../cluster/podServiceAccount';

/**
 * A service-account mount in a temporary folder.
 *
 * @public
 */
export type ServiceAccountMount = {
  /** Give it as `serviceAccountPathPrefix`. */
  prefix: string;
  /** Replaces the token the way the kubelet rotates a projected token. */
  rotate(token: string): void;
  /** Removes the folder and restores KUBERNETES_SERVICE_HOST/PORT. */
  remove(): void;
};

/**
 * Lays out a projected service-account volume as the kubelet does: the files
 * live in a timestamped folder, `..data` points at it and `token`, `ca.crt`
 * and `namespace` point through `..data`; a rotation writes a new folder and
 * swaps `..data` atomically. Sets KUBERNETES_SERVICE_HOST and _PORT to the
 * API server, as the kubelet does in every container.
 *
 * @public
 */
export function mountServiceAccount(options: {
  apiServer: string;
  caPem: string;
  token: string;
  namespace?: string;
}): ServiceAccountMount {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'sa-mount-'));
  const dir = path.join(prefix, SERVICE_ACCOUNT_DIR);
  fs.mkdirSync(dir, { recursive: true });
  let generation = 0;
  const rotate = (token: string) => {
    const data = `..${Date.now()}.${++generation}`;
    fs.mkdirSync(path.join(dir, data));
    fs.writeFileSync(path.join(dir, data, 'ca.crt'), options.caPem);
    fs.writeFileSync(path.join(dir, data, 'token'), token);
    fs.writeFileSync(
      path.join(dir, data, 'namespace'),
      options.namespace ?? 'homelab-portal',
    );
    fs.symlinkSync(data, path.join(dir, '..data_tmp'));
    fs.renameSync(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
  };
  rotate(options.token);
  for (const f of ['ca.crt', 'token', 'namespace'])
    fs.symlinkSync(path.join('..data', f), path.join(dir, f));
  const saved = {
    host: process.env.KUBERNETES_SERVICE_HOST,
    port: process.env.KUBERNETES_SERVICE_PORT,
  };
  const url = new URL(options.apiServer);
  process.env.KUBERNETES_SERVICE_HOST = url.hostname;
  process.env.KUBERNETES_SERVICE_PORT =
    url.port || (url.protocol === 'https:' ? '443' : '80');
  return {
    prefix,
    rotate,
    remove() {
      for (const [key, value] of [
        ['KUBERNETES_SERVICE_HOST', saved.host],
        ['KUBERNETES_SERVICE_PORT', saved.port],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      fs.rmSync(prefix, { recursive: true, force: true });
    },
  };
}
