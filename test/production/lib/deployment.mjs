// What the k8s/ Deployment gives the backend, read from the manifests
// (`kubectl kustomize k8s/overlays/example`), never restated here: its
// environment (literal values, the ConfigMap, each Secret key), the files it
// mounts from the Secret, its port, and that the kubelet mounts the Pod's
// service account.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';
import { repoRoot } from '../../e2e/lib/stage.mjs';

const require = createRequire(path.join(repoRoot, 'package.json'));
const YAML = require('yaml');

/** `kubectl kustomize <dir>` (repository-relative), parsed into objects. */
export function kustomize(dir) {
  let out;
  try {
    out = execFileSync('kubectl', ['kustomize', dir], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    if (error.code === 'ENOENT') {
      throw new Error(
        'kubectl is not installed: the manifests are built with `kubectl kustomize` (script/system-deps installs a stand-in).',
      );
    }
    throw new Error(`kubectl kustomize ${dir} failed: ${error.stderr}`);
  }
  return YAML.parseAllDocuments(out).map(d => d.toJS());
}

/**
 * The portal's container as the example overlay deploys it.
 * - `env`: name → { value } | { configMapKey } | { secretKey }, in the
 *   order Kubernetes resolves them (envFrom first, then env).
 * - `secretFiles`: { dir, files: { name → secret key } } of each Secret
 *   volume mount.
 * - `configMap`: the ConfigMap's data.
 */
export function portalDeployment(overlay = 'k8s/overlays/example') {
  const objects = kustomize(overlay);
  const deployment = objects.find(
    o => o.kind === 'Deployment' && o.metadata.name === 'homelab-portal',
  );
  const pod = deployment.spec.template.spec;
  const [container] = pod.containers;
  const env = new Map();
  const configMaps = {};
  for (const from of container.envFrom ?? []) {
    const name = from.configMapRef.name;
    const cm = objects.find(
      o => o.kind === 'ConfigMap' && o.metadata.name === name,
    );
    configMaps[name] = cm.data;
    for (const key of Object.keys(cm.data)) env.set(key, { configMapKey: key });
  }
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env.set(e.name, { value: e.value });
    else if (e.valueFrom?.secretKeyRef)
      env.set(e.name, { secretKey: e.valueFrom.secretKeyRef.key });
    else throw new Error(`env ${e.name}: a source this test does not know`);
  }
  const volumes = Object.fromEntries(pod.volumes.map(v => [v.name, v]));
  const secretFiles = container.volumeMounts
    .filter(m => volumes[m.name].secret)
    .map(m => ({
      dir: m.mountPath,
      files: Object.fromEntries(
        volumes[m.name].secret.items.map(i => [i.path, i.key]),
      ),
    }));
  return {
    deployment,
    container,
    env,
    configMap: Object.values(configMaps)[0],
    secretFiles,
    port: container.ports.find(p => p.name === 'http').containerPort,
    automountServiceAccountToken: pod.automountServiceAccountToken !== false,
    objects,
  };
}
