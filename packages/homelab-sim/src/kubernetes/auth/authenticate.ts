import { timingSafeEqual } from 'node:crypto';
import type { Scenario } from '../../scenario/schema';
import type { StateDir } from '../../state/StateDir';
import { KubeError } from '../api/status';
import { UserInfo, userOf } from './rbac';

/**
 * Bearer-token authentication: one token per scenario account, kept in
 * `<state>/kubernetes/<tokenFile>`. Talos runs kube-apiserver with
 * --anonymous-auth=false, so anything else is 401 on every path.
 */
export class TokenAuthenticator {
  private readonly tokens: { token: Buffer; user: UserInfo }[];

  constructor(state: StateDir, accounts: Scenario['kubernetes']['accounts']) {
    this.tokens = Object.values(accounts).map(account => ({
      token: Buffer.from(
        `Bearer ${state.token(`kubernetes/${account.tokenFile}`)}`,
      ),
      user: userOf(account),
    }));
  }

  authenticate(authorization: string | undefined): UserInfo {
    const given = Buffer.from(authorization ?? '');
    const found = this.tokens.find(
      t => t.token.length === given.length && timingSafeEqual(t.token, given),
    );
    if (!found) throw new KubeError(401, 'Unauthorized', 'Unauthorized');
    return found.user;
  }
}
