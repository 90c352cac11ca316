import { timingSafeEqual } from 'node:crypto';
import { Scenario } from '../scenario/schema';
import { StateDir } from '../state/StateDir';
import { GitRepository } from './git/GitRepository';

/** A forge account: the organisation that owns the repositories, a person, or a machine user. */
export type ForgeAccount = {
  id: number;
  login: string;
  name: string;
  email: string;
  type: 'User' | 'Organization' | 'Bot';
  bot: boolean;
  admin: boolean;
};

export type ForgeRepo = {
  id: number;
  owner: ForgeAccount;
  name: string;
  fullName: string;
  description: string;
  defaultBranch: string;
  layout: 'flux' | 'argocd';
  git: GitRepository;
};

/**
 * Who is calling. `write` is the classic personal access token with the
 * `repo` scope; `read` is a fine-grained token with read-only contents and
 * pull requests (GitHub sends no `x-oauth-scopes` header for those).
 */
export type Caller = {
  account: ForgeAccount;
  scope: 'read' | 'write';
  /** Set for a GitHub App installation token (the CI app): only apps may write check runs. */
  app?: ForgeApp;
};

/** The forge's one GitHub App: the household's CI, which reports checks on commits. */
export type ForgeApp = {
  id: number;
  slug: string;
  name: string;
};

export const TOKEN_FILE = 'forge/token';
export const READ_TOKEN_FILE = 'forge/read-token';
export const CI_TOKEN_FILE = 'forge/ci-token';

/**
 * The forge's fixed world, derived from the scenario: accounts, repositories
 * and the two tokens. Pull requests live in the PullStore; everything else
 * about a repository lives in its bare git directory.
 */
export class ForgeModel {
  readonly org: ForgeAccount;
  readonly users: ForgeAccount[];
  readonly repos: ForgeRepo[];
  readonly tokenUser: ForgeAccount;
  readonly ciApp: ForgeApp = { id: 1, slug: 'homelab-ci', name: 'HomeLab CI' };
  /** The CI app's bot account (`<slug>[bot]`), which its check runs and statuses name. */
  readonly ciBot: ForgeAccount;
  private readonly tokens: { value: Buffer; caller: Caller }[];
  private publicUrl = 'https://localhost';

  constructor(readonly scenario: Scenario, readonly state: StateDir) {
    const forge = scenario.forge;
    this.org = {
      id: 1,
      login: forge.owner,
      name: forge.owner,
      email: '',
      type: 'Organization',
      bot: false,
      admin: false,
    };
    this.users = forge.users.map((u, i) => ({
      id: 2 + i,
      login: u.login,
      name: u.name,
      email: u.email,
      type: 'User' as const,
      bot: u.bot,
      admin: !u.bot,
    }));
    const tokenUser = this.users.find(u => u.login === forge.tokenUser);
    if (!tokenUser) {
      throw new Error(
        `Scenario forge.tokenUser "${
          forge.tokenUser
        }" is not one of forge.users (${this.users
          .map(u => u.login)
          .join(', ')})`,
      );
    }
    this.tokenUser = tokenUser;
    this.repos = forge.repositories.map((r, i) => ({
      id: 100 + i,
      owner: this.org,
      name: r.name,
      fullName: `${forge.owner}/${r.name}`,
      description: r.description ?? '',
      defaultBranch: r.defaultBranch,
      layout: r.layout,
      git: new GitRepository(
        state.path('forge', 'repos', forge.owner, `${r.name}.git`),
      ),
    }));
    this.ciBot = {
      id: 900,
      login: `${this.ciApp.slug}[bot]`,
      name: this.ciApp.name,
      email: `${this.ciApp.slug}[bot]@users.noreply.${forge.owner}`,
      type: 'Bot',
      bot: true,
      admin: false,
    };
    const callers: { file: string; caller: Caller }[] = [
      { file: TOKEN_FILE, caller: { account: tokenUser, scope: 'write' } },
      { file: READ_TOKEN_FILE, caller: { account: tokenUser, scope: 'read' } },
      {
        file: CI_TOKEN_FILE,
        caller: { account: this.ciBot, scope: 'write', app: this.ciApp },
      },
    ];
    this.tokens = callers.map(t => ({
      value: Buffer.from(state.token(t.file)),
      caller: t.caller,
    }));
  }

  /** Where the forge answers, e.g. `https://localhost:13000` (set once the port is known). */
  get baseUrl(): string {
    return this.publicUrl;
  }

  setBaseUrl(url: string) {
    this.publicUrl = url.replace(/\/$/, '');
  }

  get host(): string {
    return new URL(this.publicUrl).host;
  }

  repo(owner: string, name: string): ForgeRepo | undefined {
    const bare = name.replace(/\.git$/, '');
    return this.repos.find(
      r =>
        r.owner.login.toLowerCase() === owner.toLowerCase() &&
        r.name.toLowerCase() === bare.toLowerCase(),
    );
  }

  account(login: string): ForgeAccount | undefined {
    const l = login.toLowerCase();
    if (this.org.login.toLowerCase() === l) return this.org;
    if (this.ciBot.login.toLowerCase() === l) return this.ciBot;
    return this.users.find(u => u.login.toLowerCase() === l);
  }

  accountByEmail(email: string): ForgeAccount | undefined {
    const e = email.toLowerCase();
    return this.users.find(u => u.email.toLowerCase() === e);
  }

  /** The caller a token belongs to; undefined for an unknown token. */
  callerFor(token: string): Caller | undefined {
    const given = Buffer.from(token);
    for (const t of this.tokens) {
      if (t.value.length === given.length && timingSafeEqual(t.value, given))
        return t.caller;
    }
    return undefined;
  }
}
