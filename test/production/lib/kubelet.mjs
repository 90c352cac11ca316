// Files laid out the way the kubelet writes secret and projected volumes:
// the content in a timestamped folder, `..data` pointing at it, and each
// file a symlink through `..data`, so an update is one atomic swap of
// `..data`. Used for the Pod's service account
// (/var/run/secrets/kubernetes.io/serviceaccount) and the Secret the
// Deployment mounts, inside the suite's private mount namespace.
import fs from 'node:fs';
import path from 'node:path';

/** Writes `files` (name → content) into `dir` as a kubelet volume. */
export function kubeletVolume(dir, files, mode = 0o400) {
  fs.mkdirSync(dir, { recursive: true });
  const data = `..${new Date().toISOString().replace(/[:.]/g, '_')}`;
  fs.mkdirSync(path.join(dir, data));
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, data, name), content, { mode });
  }
  fs.symlinkSync(data, path.join(dir, '..data_tmp'));
  fs.renameSync(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
  for (const name of Object.keys(files)) {
    const link = path.join(dir, name);
    if (!fs.existsSync(link)) fs.symlinkSync(path.join('..data', name), link);
  }
}

/** Where the kubelet mounts a Pod's service account. */
export const SERVICE_ACCOUNT_DIR =
  '/var/run/secrets/kubernetes.io/serviceaccount';
