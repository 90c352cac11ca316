// The production build started the way the k8s/ Deployment starts it: its
// command's config files (app-config.yaml + app-config.production.yaml), its
// environment as the manifests define it (lib/deployment.mjs) with this
// test's endpoints in the ConfigMap's keys, its Secret as files where the
// Deployment mounts them, and the Pod's service account where the kubelet
// mounts it. The only overlay says what a real cluster does not need.
import fs from 'node:fs';
import path from 'node:path';
import { Portal } from '../../e2e/lib/portal.mjs';
import { repoRoot } from '../../e2e/lib/stage.mjs';
import { kubeletVolume, SERVICE_ACCOUNT_DIR } from './kubelet.mjs';

export class DeployedPortal extends Portal {
  /**
   * @param deployment portalDeployment() of lib/deployment.mjs
   * @param endpoints ConfigMap key → this test's value (each key must exist)
   * @param secrets Secret key → value (every key the Deployment uses)
   * @param kubelet what the kubelet gives the Pod: the API server's
   *   address and the service account's token and CA
   * @param overlay app-config keys no cluster needs (documented by the caller)
   * @param extraEnv variables that stand in for the machine (documented by the caller)
   */
  constructor({
    deployment,
    endpoints,
    secrets,
    kubelet,
    overlay,
    extraEnv,
    workDir,
  }) {
    super({
      workDir,
      port: deployment.port,
      name: 'production',
      configFiles: [path.join(repoRoot, 'app-config.production.yaml')],
    });
    for (const key of Object.keys(endpoints)) {
      if (!(key in deployment.configMap))
        throw new Error(`the ConfigMap has no key ${key} to give a test value`);
    }
    const env = {};
    for (const [name, source] of deployment.env) {
      if ('value' in source) env[name] = source.value;
      else if ('configMapKey' in source)
        env[name] =
          endpoints[source.configMapKey] ??
          deployment.configMap[source.configMapKey];
      else if (source.secretKey in secrets)
        env[name] = secrets[source.secretKey];
      else throw new Error(`no test value for Secret key ${source.secretKey}`);
    }
    this.env = {
      ...env,
      KUBERNETES_SERVICE_HOST: kubelet.host,
      KUBERNETES_SERVICE_PORT: String(kubelet.port),
      ...extraEnv,
    };
    this.deployment = deployment;
    this.secrets = secrets;
    this.kubelet = kubelet;
    this.overlay = overlay;
  }

  /** Mounts the Secret files and the service account (inside the suite's mount namespace). */
  mount() {
    for (const { dir, files } of this.deployment.secretFiles) {
      kubeletVolume(
        dir,
        Object.fromEntries(
          Object.entries(files).map(([name, key]) => [name, this.secrets[key]]),
        ),
      );
    }
    if (this.deployment.automountServiceAccountToken) {
      kubeletVolume(
        SERVICE_ACCOUNT_DIR,
        {
          token: this.kubelet.token,
          'ca.crt': this.kubelet.caPem,
          namespace: this.deployment.deployment.metadata.namespace,
        },
        0o644,
      );
    }
  }

  writeConfig() {
    const file = path.join(this.workDir, 'production.overlay.yaml');
    fs.writeFileSync(file, JSON.stringify(this.overlay, null, 2));
    return file;
  }
}
