import { execFileSync } from 'node:child_process';

/**
 * `.yarn/patches/@backstage-plugin-kubernetes-backend-*.patch` defers
 * `@google-cloud/container` (generated GKE protobuf code, ~12 MiB of heap)
 * until a GKE cluster or Google service account is used. Checked in a plain
 * Node process, where `require.cache` shows what a backend start loads.
 */
function runNode(script: string): string {
  return execFileSync(process.execPath, ['-e', script], {
    cwd: __dirname,
    encoding: 'utf8',
  }).trim();
}

const loaded = `Object.keys(require.cache).some(p => p.includes('@google-cloud/container'))`;

describe('the patched Kubernetes backend', () => {
  it('does not load the GKE client when the plugin loads', () => {
    expect(
      runNode(
        `require('@backstage/plugin-kubernetes-backend'); console.log(${loaded});`,
      ),
    ).toBe('false');
  });

  it('still loads it when a Google service account is used', () => {
    const out = runNode(`
      const { GoogleServiceAccountStrategy } = require('@backstage/plugin-kubernetes-backend');
      const { ConfigReader } = require('@backstage/config');
      const strategy = new GoogleServiceAccountStrategy({
        config: new ConfigReader({ kubernetes: { googleServiceAccountCredentials: '{}' } }),
      });
      strategy.getCredential().then(
        () => console.log(JSON.stringify({ loaded: ${loaded}, error: null })),
        e => console.log(JSON.stringify({ loaded: ${loaded}, error: e.name + ': ' + e.message })),
      );
    `);
    const { loaded: isLoaded, error } = JSON.parse(out.split('\n').pop()!);
    expect(isLoaded).toBe(true);
    // The empty credentials reach Google's auth library, which refuses them:
    // proof that the deferred client was found and constructed.
    expect(error).toMatch(/does not contain a client_email field/);
  });
});
