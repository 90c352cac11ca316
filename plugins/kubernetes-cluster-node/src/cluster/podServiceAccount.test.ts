import { inClusterApiServer } from './podServiceAccount';

describe('inClusterApiServer', () => {
  // The rules of the library the kubernetes plugin uses for the same thing.
  const library = async (env: Record<string, string>) => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const { KubeConfig } = await import('@kubernetes/client-node');
      const kc = new KubeConfig();
      kc.loadFromCluster();
      return kc.getCurrentCluster()?.server;
    } finally {
      process.env = saved;
    }
  };

  it.each([
    ['10.96.0.1', '443'],
    ['kubernetes.default.svc', '6443'],
    ['fd00:10:96::1', '443'],
    ['127.0.0.1', '8080'],
    ['127.0.0.1', '8001'],
    ['127.0.0.1', '80'],
  ])(
    'gives the same API server as @kubernetes/client-node for %s:%s',
    async (host, port) => {
      const env = {
        KUBERNETES_SERVICE_HOST: host,
        KUBERNETES_SERVICE_PORT: port,
      };
      expect(inClusterApiServer(env)).toBe(await library(env));
    },
  );

  it('is undefined outside a Pod', () => {
    expect(inClusterApiServer({})).toBeUndefined();
  });
});
