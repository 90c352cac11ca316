import fs from 'node:fs';
import path from 'node:path';
import { createMockActionContext } from '../../__testUtils__/actionContext';
import {
  copyFixture,
  fixtureRepo,
  testConfig,
} from '../../__testUtils__/fixtures';
import { createRouteGenerateAction } from '../../actions/routeGenerate';
import { createSecretSealAction } from '../../actions/secretSeal';

/**
 * A platform app in the household's repository: echo moved to kube-system.
 * The form names no namespace (or a harmless one); the repository decides.
 */
function withPlatformApp(): string {
  const repo = copyFixture('flux');
  const from = path.join(repo, 'kubernetes/apps/default/echo');
  const to = path.join(repo, 'kubernetes/apps/kube-system/echo');
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.renameSync(from, to);
  const ks = path.join(to, 'ks.yaml');
  fs.writeFileSync(
    ks,
    fs
      .readFileSync(ks, 'utf8')
      .replace(
        './kubernetes/apps/default/echo/app',
        './kubernetes/apps/kube-system/echo/app',
      )
      .replace('targetNamespace: default', 'targetNamespace: kube-system'),
  );
  return repo;
}

describe("the reserved-namespace check on the app's real namespace", () => {
  let repo: string;
  beforeAll(() => {
    repo = withPlatformApp();
  });
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

  const refusal =
    'app: "echo" deploys to "kube-system", a namespace reserved for the platform';

  it('refuses to seal a secret into a platform app', async () => {
    const fetchCertificate = jest.fn();
    const action = createSecretSealAction({
      config: testConfig(),
      openRepo: async () => fixtureRepo('flux', repo),
      fetchCertificate,
    });
    const ctx = createMockActionContext({
      input: {
        repoUrl: 'home-ops/home-ops',
        app: 'echo',
        values: [{ key: 'TOKEN', secret: 'token' }],
      } as any,
      secrets: { token: 'hunter22' },
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(refusal);
    expect(fetchCertificate).not.toHaveBeenCalled();
  });

  it('refuses to expose a platform app', async () => {
    const action = createRouteGenerateAction({
      config: testConfig(),
      openRepo: async () => fixtureRepo('flux', repo),
    });
    const ctx = createMockActionContext({
      input: {
        repoUrl: 'home-ops/home-ops',
        app: 'echo',
        hostname: 'echo.home.example.org',
        exposure: 'internal',
      } as any,
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(refusal);
  });
});
