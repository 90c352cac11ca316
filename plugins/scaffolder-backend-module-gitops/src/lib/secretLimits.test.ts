import { createMockActionContext } from '../__testUtils__/actionContext';
import { testConfig } from '../__testUtils__/fixtures';
import { createSecretSealAction } from '../actions/secretSeal';
import { MAX_SECRET_VALUE_LENGTH } from './secretLimits';

describe('secret size limits in homelab:secret:seal', () => {
  it('refuses an oversized value before opening the repository or fetching the certificate', async () => {
    const openRepo = jest.fn();
    const fetchCertificate = jest.fn();
    const action = createSecretSealAction({
      config: testConfig(),
      openRepo,
      fetchCertificate,
    });
    const ctx = createMockActionContext({
      input: {
        repoUrl: 'home-ops/home-ops',
        app: 'jellyfin',
        values: [
          { key: 'SMALL', secret: 'small' },
          { key: 'CERT', secret: 'big' },
        ],
      } as any,
      secrets: {
        small: 'hunter22',
        big: 'x'.repeat(MAX_SECRET_VALUE_LENGTH + 1),
      },
    });
    await expect(action.handler(ctx as any)).rejects.toThrow(
      'The sealed secret refused: values: the value of "big" is 8,193 characters long; a secret value may be at most 8,192 characters (8 KiB) [rule secret-size]',
    );
    expect(openRepo).not.toHaveBeenCalled();
    expect(fetchCertificate).not.toHaveBeenCalled();
  });
});
