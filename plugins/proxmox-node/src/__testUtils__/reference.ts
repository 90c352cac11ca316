import fs from 'node:fs';
import path from 'node:path';

/**
 * The Proxmox reference data (`shared/reference/proxmox`), read from
 * HOMELAB_REFERENCE_DIR or the `shared/reference` folder next to the repo.
 * What the client's tests need of it; the schema checks of the demo Proxmox
 * have their own loader in homelab-sim (src/proxmox/__testUtils__).
 */
export function referenceDir(): string {
  // Tests run from source: this file is <repo>/plugins/proxmox-node/src/__testUtils__.
  const repoRoot = path.resolve(__dirname, '../../../..');
  const dir =
    process.env.HOMELAB_REFERENCE_DIR ??
    path.resolve(repoRoot, '../shared/reference');
  const proxmox = path.join(dir, 'proxmox');
  if (!fs.existsSync(path.join(proxmox, 'pve-api-subset.json'))) {
    throw new Error(
      `The Proxmox reference data is missing at ${proxmox}: set HOMELAB_REFERENCE_DIR to the folder that holds proxmox/pve-api-subset.json`,
    );
  }
  return proxmox;
}

/** An endpoint of a reference subset: what the client's tests need of it. */
export type SubsetEndpoint = { method: string; path: string };

/** The endpoints of a reference subset (PVE 9.1 or 8.4). */
export function loadSubset(
  file: 'pve-api-subset.json' | 'pve-api-subset-pve8.4.json',
) {
  const raw = JSON.parse(
    fs.readFileSync(path.join(referenceDir(), file), 'utf8'),
  );
  return [...raw.endpoints, ...raw.extra_endpoints] as SubsetEndpoint[];
}

/** The reference household's bodies and error answers. */
export function loadExample(): {
  responses: Record<string, { data: unknown; total?: number }>;
  errors: {
    request: string;
    http_status: number;
    reason_phrase: string;
    body: unknown;
  }[];
} {
  return JSON.parse(
    fs.readFileSync(path.join(referenceDir(), 'example-homelab.json'), 'utf8'),
  );
}

/** The subset entry for a concrete request path (`/nodes/pve/qemu/100/config`). */
export function endpointFor(
  subset: SubsetEndpoint[],
  method: string,
  concrete: string,
) {
  return subset.find(e => {
    if (e.method !== method) return false;
    const re = new RegExp(`^${e.path.replace(/\{\w+\}/g, '[^/]+')}$`);
    return re.test(concrete);
  });
}
