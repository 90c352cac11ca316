import { startSim } from '../../testUtils';

/**
 * The demo homelab with only its Kubernetes API, on a free port, for a
 * test file: its URL, a dispatcher trusting its CA, the admin token, and
 * `close()` for afterAll.
 */
export async function startKubernetesOnly(prefix: string) {
  const shared = await startSim({ only: ['kubernetes'], tmpPrefix: prefix });
  return {
    sim: shared.sim,
    dispatcher: shared.dispatcher,
    url: shared.kubernetes.url,
    adminToken: shared.kubernetes.tokenOf('admin'),
    close: () => shared.close(),
  };
}
