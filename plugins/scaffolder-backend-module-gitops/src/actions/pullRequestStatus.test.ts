import { ConfigReader } from '@backstage/config';
import { assertError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { createMockActionContext } from '../__testUtils__/actionContext';
import { forgeJson, ForgeRateLimitError } from '../lib/forge/http';
import { capturingLogger } from '../__testUtils__/capture';
import { SimUnderTest, startSim } from '../__testUtils__/sim';
import { createPullRequestStatusAction } from './pullRequestStatus';

/**
 * The portal's reading of a pull request against the demo forge, including
 * the answers a real forge gives while busy: mergeability not computed yet,
 * GraphQL `errors`, and rate limits with Retry-After.
 */
jest.setTimeout(180_000);

const REPO_API = (s: SimUnderTest) =>
  `${s.forgeUrl}/api/v3/repos/home-ops/home-ops`;
const auth = (s: SimUnderTest) => ({ authorization: `token ${s.forgeToken}` });

/** A commit adding `file` on top of `parent`, written through the git database API. */
async function commitOn(s: SimUnderTest, parent: string, file: string) {
  const headers = auth(s);
  const { body: base } = await forgeJson<{ commit: { tree: { sha: string } } }>(
    `${REPO_API(s)}/commits/${parent}`,
    { headers },
  );
  const { body: tree } = await forgeJson<{ sha: string }>(
    `${REPO_API(s)}/git/trees`,
    {
      method: 'POST',
      headers,
      body: {
        base_tree: base.commit.tree.sha,
        tree: [{ path: file, mode: '100644', content: `${file}\n` }],
      },
    },
  );
  const { body: commit } = await forgeJson<{ sha: string }>(
    `${REPO_API(s)}/git/commits`,
    {
      method: 'POST',
      headers,
      body: { message: `add ${file}`, tree: tree.sha, parents: [parent] },
    },
  );
  return commit.sha;
}

/** A branch with one commit and a pull request for it (the creation answer is the forge's first look). */
async function openPull(s: SimUnderTest, branch: string, file: string) {
  const headers = auth(s);
  const { body: main } = await forgeJson<{ commit: { sha: string } }>(
    `${REPO_API(s)}/branches/main`,
    { headers },
  );
  const head = await commitOn(s, main.commit.sha, file);
  await forgeJson(`${REPO_API(s)}/git/refs`, {
    method: 'POST',
    headers,
    body: { ref: `refs/heads/${branch}`, sha: head },
  });
  const { body: pr } = await forgeJson<{ number: number }>(
    `${REPO_API(s)}/pulls`,
    {
      method: 'POST',
      headers,
      body: { head: branch, base: 'main', title: `Add ${file}` },
    },
  );
  return { number: pr.number, head };
}

describe('homelab:pull-request:status against the demo forge', () => {
  let s: SimUnderTest;

  beforeAll(async () => {
    s = await startSim({ only: ['forge'] });
  });
  afterAll(async () => s?.close());

  async function run(
    input: Record<string, unknown>,
    polling: { attempts?: number; delayMs?: number } = { delayMs: 50 },
  ) {
    const logger = capturingLogger();
    const ctx = createMockActionContext({ input: input as any, logger });
    await createPullRequestStatusAction({
      integrations: s.integrations,
      polling,
    }).handler(ctx as any);
    return {
      output: Object.fromEntries((ctx.output as jest.Mock).mock.calls),
      log: logger.lines,
    };
  }

  it('waits out GitHub computing mergeability (mergeable: null)', async () => {
    const pr = await openPull(s, 'status/pending', 'docs/pending.md');
    // A new commit on the head branch: a head/base pair the forge has not
    // computed yet, so its next answer is `mergeable: null`.
    const next = await commitOn(s, pr.head, 'docs/more.md');
    await forgeJson(`${REPO_API(s)}/git/refs/heads/status/pending`, {
      method: 'PATCH',
      headers: auth(s),
      body: { sha: next },
    });
    const input = {
      repoUrl: `${s.forgeHost}?owner=home-ops&repo=home-ops`,
      pullRequestNumber: pr.number,
    };
    const single = await run(input, { attempts: 1, delayMs: 10 });
    expect(single.output).toEqual({ mergeable: 'unknown', checks: 'none' });
    expect(single.log.join('\n')).toMatch(/still being checked by the forge/);

    const patient = await run(input, { attempts: 3, delayMs: 10 });
    expect(patient.output.mergeable).toBe('yes');
  });

  it('reports the checks rollup read through GraphQL', async () => {
    const pr = await openPull(s, 'status/checks', 'docs/checks.md');
    await forgeJson(`${REPO_API(s)}/statuses/${pr.head}`, {
      method: 'POST',
      headers: auth(s),
      body: { state: 'failure', context: 'kubeconform' },
    });
    const { output, log } = await run({
      repoUrl: `${s.forgeHost}?owner=home-ops&repo=home-ops`,
      pullRequestNumber: pr.number,
    });
    expect(output).toEqual({ mergeable: 'yes', checks: 'failure' });
    expect(log.join('\n')).toMatch(/merges cleanly; checks: failure/);
  });

  it('fails with the forge’s GraphQL error when the pull request does not exist', async () => {
    await expect(
      run({
        repoUrl: `${s.forgeHost}?owner=home-ops&repo=home-ops`,
        pullRequestNumber: 999,
      }),
    ).rejects.toThrow(
      /GraphQL .* NOT_FOUND: Could not resolve to a PullRequest with the number of 999/,
    );
  });

  it('reads Gitea too', async () => {
    const { output } = await run({
      repoUrl: `${s.forgeHost}?owner=home-ops&repo=home-ops`,
      pullRequestNumber: 1,
      forge: 'gitea',
    });
    expect(output).toEqual({ mergeable: 'yes', checks: 'none' });
  });
});

/**
 * One forge with tight GitHub rate limits for the two describes below (the
 * forge only: these tests read no cluster). Each token has its own budget:
 * the REST tests spend the write token's, the GraphQL test uses the
 * read-only token, so the REST tests cannot spend what it counts on.
 */
let rateLimited: Promise<SimUnderTest> | undefined;
const rateLimitedSim = () =>
  (rateLimited ??= startSim({
    only: ['forge'],
    forge: {
      rateLimits: {
        core: 8,
        anonymous: 60,
        graphql: 1,
        contentPerMinute: 1,
        secondaryWindowSeconds: 2,
      },
    } as any,
  }));
afterAll(async () => (await rateLimited)?.close());

describe('the forge client under GitHub rate limits', () => {
  let s: SimUnderTest;

  beforeAll(async () => {
    s = await rateLimitedSim();
  });

  it('sits out a short Retry-After and retries once', async () => {
    const url = `${s.forgeUrl}/api/v3/repos/home-ops/home-ops/issues`;
    const headers = { authorization: `token ${s.forgeToken}` };
    await forgeJson(url, { method: 'POST', headers, body: { title: 'one' } });
    const started = Date.now();
    const { status } = await forgeJson(url, {
      method: 'POST',
      headers,
      body: { title: 'two' },
    });
    expect(status).toBe(201);
    // The sim's secondary window is 2 s: the client waited for it.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('refuses a long wait with a message that says until when', async () => {
    const url = `${s.forgeUrl}/api/v3/repos/home-ops/home-ops`;
    const headers = { authorization: `token ${s.forgeToken}` };
    const attempts = Array.from({ length: 10 }, () =>
      forgeJson(url, { headers }).then(
        () => undefined,
        e => e,
      ),
    );
    const error = (await Promise.all(attempts)).find(e => e !== undefined);
    expect(error).toBeInstanceOf(ForgeRateLimitError);
    assertError(error);
    expect(error.message).toMatch(
      /refused by the forge's rate limit; it asks to wait \d+ s \(until \d\d:\d\d:\d\d UTC\)/,
    );
  });
});

describe('the forge client under GitHub’s GraphQL rate limit', () => {
  let s: SimUnderTest;
  let integrations: ScmIntegrations;

  // The read-only token: a GraphQL budget (one point) and a REST budget
  // of its own, untouched by the REST tests above.
  beforeAll(async () => {
    s = await rateLimitedSim();
    integrations = ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          github: [
            {
              host: s.forgeHost,
              apiBaseUrl: `${s.forgeUrl}/api/v3`,
              token: s.forgeReadToken,
            },
          ],
        },
      }),
    );
  });

  it('turns GraphQL’s RATE_LIMITED answer into a clear refusal', async () => {
    const input = {
      repoUrl: `${s.forgeHost}?owner=home-ops&repo=home-ops`,
      pullRequestNumber: 999,
    };
    const act = () =>
      createPullRequestStatusAction({ integrations }).handler(
        createMockActionContext({ input: input as any }) as any,
      );
    // The one GraphQL point of the hour: no such pull request yet.
    await expect(act()).rejects.toThrow(/NOT_FOUND/);
    // GitHub then answers 200 with a RATE_LIMITED error.
    await expect(act()).rejects.toThrow(
      /The pull request is open, but its state cannot be read now: .* asks to wait \d+ s/,
    );
  });
});
