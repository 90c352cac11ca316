// Real GitHub clients against the demo forge: Debian's `gh` (2.23) and
// `@octokit/rest`. Each expectation is what GitHub documents or does; the
// comment beside it names the source.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { Octokit } from '@octokit/rest';
import { git, pushBranch, startForge } from './lib/forge.mjs';

const exec = promisify(execFile);
const REPO = { owner: 'home-ops', repo: 'home-ops' };

function octokitFor(forge, token = forge.token) {
  return new Octokit({
    baseUrl: `${forge.url}/api/v3`,
    auth: token,
    request: { fetch: forge.fetch },
    // Refusals are what these tests look for; Octokit need not log them.
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
}

/** Debian's gh pointed at the forge as a GitHub Enterprise host. */
async function gh(forge, args, { token = forge.token } = {}) {
  const config = path.join(forge.stateDir, 'gh');
  fs.mkdirSync(config, { recursive: true });
  try {
    const { stdout, stderr } = await exec('gh', args, {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: forge.stateDir,
        GH_HOST: forge.host,
        GH_ENTERPRISE_TOKEN: token,
        GH_REPO: `${forge.host}/${REPO.owner}/${REPO.repo}`,
        GH_CONFIG_DIR: config,
        GH_NO_UPDATE_NOTIFIER: '1',
        GH_PROMPT_DISABLED: '1',
        NO_COLOR: '1',
        // gh (Go) trusts the CA in this file instead of the system's.
        SSL_CERT_FILE: forge.caFile,
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

describe('GitHub clients against the demo forge', () => {
  let forge;
  let octokit;
  let pr;
  let head;

  before(async () => {
    forge = await startForge();
    octokit = octokitFor(forge);
    head = await pushBranch(
      forge,
      'home-ops/home-ops',
      'renovate/whoami-1.x',
      'kubernetes/apps/default/whoami/NOTES.md',
      'Bumped by Renovate.\n',
    );
  });
  after(async () => forge?.close());

  test('gh auth status: the API root answers and the token has the scopes gh needs', async () => {
    // gh 2.23 reads GET /api/v3/ and its X-OAuth-Scopes; it needs `repo` and `read:org`.
    const { code, stdout, stderr } = await gh(forge, ['auth', 'status']);
    assert.equal(code, 0, stderr);
    const out = stdout + stderr;
    assert.match(out, /Logged in to localhost:33000 as homelab-portal/);
    assert.match(out, /Token scopes: gist, read:org, repo, workflow/);
    // A wrong token: GitHub answers 401 "Bad credentials" and gh says so.
    const bad = await gh(forge, ['auth', 'status'], { token: 'not-a-token' });
    assert.notEqual(bad.code, 0);
  });

  test('a new pull request is mergeable: null first, then computed (Octokit)', async () => {
    // docs rest/pulls/pulls#get-a-pull-request: "The value of the mergeable
    // attribute can be true, false, or null. If the value is null, then
    // GitHub has started a background job to compute the mergeability."
    const created = await octokit.pulls.create({
      ...REPO,
      head: 'renovate/whoami-1.x',
      base: 'main',
      title: 'fix(container): update image traefik/whoami (1.10.1 ➔ 1.10.2)',
      body: 'This PR contains the following updates.',
    });
    pr = created.data;
    assert.equal(created.status, 201);
    assert.equal(pr.mergeable, null);
    assert.equal(pr.mergeable_state, 'unknown');
    const again = await octokit.pulls.get({ ...REPO, pull_number: pr.number });
    assert.equal(again.data.mergeable, true);
    assert.equal(again.data.mergeable_state, 'clean');
    assert.equal(again.data.head.sha, head.sha);
    // The list is pull-request-simple: no mergeability there.
    const list = await octokit.pulls.list({ ...REPO, state: 'open' });
    assert.equal(list.data[0].number, pr.number);
    assert.equal('mergeable' in list.data[0], false);
  });

  test('gh pr list and gh pr view read the pull request through GraphQL', async () => {
    const list = await gh(forge, ['pr', 'list']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(
      list.stdout,
      new RegExp(
        `^${pr.number}\\t.*update image traefik/whoami.*\\trenovate/whoami-1.x\\tOPEN`,
        'm',
      ),
    );
    const json = await gh(forge, [
      'pr',
      'view',
      String(pr.number),
      '--json',
      'number,title,state,author,headRefName,baseRefName,headRefOid,mergeable,mergeStateStatus,isDraft,additions,deletions,changedFiles,files,commits',
    ]);
    assert.equal(json.code, 0, json.stderr);
    const view = JSON.parse(json.stdout);
    assert.deepEqual(
      {
        number: view.number,
        state: view.state,
        author: view.author.login,
        headRefName: view.headRefName,
        baseRefName: view.baseRefName,
        headRefOid: view.headRefOid,
        mergeable: view.mergeable,
        mergeStateStatus: view.mergeStateStatus,
        files: view.files.map(f => f.path),
        commits: view.commits.length,
      },
      {
        number: pr.number,
        state: 'OPEN',
        author: 'homelab-portal',
        headRefName: 'renovate/whoami-1.x',
        baseRefName: 'main',
        headRefOid: head.sha,
        mergeable: 'MERGEABLE',
        mergeStateStatus: 'CLEAN',
        files: ['kubernetes/apps/default/whoami/NOTES.md'],
        commits: 1,
      },
    );
    const text = await gh(forge, ['pr', 'view', String(pr.number)]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /This PR contains the following updates\./);
  });

  test('gh pr diff and the diff media type give what git diff gives', async () => {
    // gh pr diff asks GET /pulls/{n} with Accept: application/vnd.github.v3.diff.
    await git(forge, ['fetch', '--quiet', 'origin', 'main'], { cwd: head.dir });
    const expected = await git(forge, ['diff', 'origin/main...HEAD'], {
      cwd: head.dir,
    });
    const diff = await gh(forge, ['pr', 'diff', String(pr.number)]);
    assert.equal(diff.code, 0, diff.stderr);
    assert.equal(diff.stdout, expected);
    const viaOctokit = await octokit.pulls.get({
      ...REPO,
      pull_number: pr.number,
      mediaType: { format: 'diff' },
    });
    assert.equal(viaOctokit.data, expected);
    const patch = await octokit.pulls.get({
      ...REPO,
      pull_number: pr.number,
      mediaType: { format: 'patch' },
    });
    assert.match(patch.data, /^From [0-9a-f]{40} /);
    assert.match(patch.data, /Subject: \[PATCH\] add kubernetes\/apps/);
  });

  test('commit statuses and check runs: posted, combined, and shown by gh pr checks', async () => {
    const status = await octokit.repos.createCommitStatus({
      ...REPO,
      sha: head.sha,
      state: 'success',
      context: 'kustomize build',
      target_url: 'https://ci.home.example.org/runs/1',
    });
    assert.equal(status.status, 201);
    // docs rest/checks/runs#create-a-check-run: only GitHub Apps may create
    // check runs; a personal access token gets 403.
    await assert.rejects(
      octokit.checks.create({
        ...REPO,
        name: 'flux-local',
        head_sha: head.sha,
      }),
      e => e.status === 403 && /GitHub App/.test(e.message),
    );
    const app = octokitFor(forge, forge.ciToken);
    const run = await app.checks.create({
      ...REPO,
      name: 'flux-local',
      head_sha: head.sha,
      status: 'completed',
      conclusion: 'failure',
      output: {
        title: 'flux-local test',
        summary: 'whoami: HelmRelease fails to render',
      },
    });
    assert.equal(run.status, 201);
    assert.equal(run.data.pull_requests[0].number, pr.number);
    // docs rest/commits/statuses: combined state is success when every
    // latest context succeeded (check runs are not part of it).
    const combined = await octokit.repos.getCombinedStatusForRef({
      ...REPO,
      ref: 'renovate/whoami-1.x',
    });
    assert.equal(combined.data.state, 'success');
    assert.deepEqual(
      combined.data.statuses.map(s => s.context),
      ['kustomize build'],
    );
    const runs = await octokit.checks.listForRef({ ...REPO, ref: head.sha });
    assert.equal(runs.data.total_count, 1);
    // gh pr checks: one line per check, and a non-zero exit when one failed.
    const checks = await gh(forge, ['pr', 'checks', String(pr.number)]);
    assert.notEqual(checks.code, 0);
    assert.match(checks.stdout, /^flux-local\tfail\t/m);
    assert.match(
      checks.stdout,
      /^kustomize build\tpass\t.*https:\/\/ci\.home\.example\.org\/runs\/1/m,
    );
    // GraphQL now reports the pull request as UNSTABLE (a failing check).
    const json = await gh(forge, [
      'pr',
      'view',
      String(pr.number),
      '--json',
      'mergeStateStatus',
    ]);
    assert.equal(JSON.parse(json.stdout).mergeStateStatus, 'UNSTABLE');
  });

  test('issues, comments and reviews through gh api and Octokit', async () => {
    const issue = await gh(forge, [
      'api',
      `repos/${REPO.owner}/${REPO.repo}/issues`,
      '-f',
      'title=Dependency Dashboard',
      '-f',
      'body=This issue lists Renovate updates.',
    ]);
    assert.equal(issue.code, 0, issue.stderr);
    const created = JSON.parse(issue.stdout);
    // Issues and pull requests share one numbering per repository.
    assert.equal(created.number, pr.number + 1);
    assert.equal('pull_request' in created, false);
    const comment = await octokit.issues.createComment({
      ...REPO,
      issue_number: pr.number,
      body: 'Looks good; merging after the check is fixed.',
    });
    assert.equal(comment.status, 201);
    const comments = await octokit.issues.listComments({
      ...REPO,
      issue_number: pr.number,
    });
    assert.deepEqual(
      comments.data.map(c => c.id),
      [comment.data.id],
    );
    // The issues API lists pull requests too, marked with `pull_request`.
    const issues = await octokit.issues.listForRepo({ ...REPO, state: 'open' });
    assert.deepEqual(
      issues.data.map(i => [i.number, 'pull_request' in i]),
      [
        [created.number, false],
        [pr.number, true],
      ],
    );
    // docs rest/pulls/reviews: an author cannot approve their own pull request.
    await assert.rejects(
      octokit.pulls.createReview({
        ...REPO,
        pull_number: pr.number,
        event: 'APPROVE',
      }),
      e =>
        e.status === 422 &&
        /approve your own pull request/.test(JSON.stringify(e.response.data)),
    );
    const review = await octokit.pulls.createReview({
      ...REPO,
      pull_number: pr.number,
      event: 'COMMENT',
      body: 'The chart bump is fine.',
    });
    assert.equal(review.data.state, 'COMMENTED');
    const view = await gh(forge, [
      'pr',
      'view',
      String(pr.number),
      '--json',
      'comments,reviews',
    ]);
    const parsed = JSON.parse(view.stdout);
    assert.equal(
      parsed.comments[0].body,
      'Looks good; merging after the check is fixed.',
    );
    assert.equal(parsed.reviews[0].state, 'COMMENTED');
  });

  test('compare, commits of a pull request, tags and releases', async () => {
    const compare = await octokit.repos.compareCommitsWithBasehead({
      ...REPO,
      basehead: 'main...renovate/whoami-1.x',
    });
    assert.equal(compare.data.status, 'ahead');
    assert.equal(compare.data.ahead_by, 1);
    assert.equal(compare.data.behind_by, 0);
    assert.equal(compare.data.commits[0].sha, head.sha);
    const commits = await octokit.pulls.listCommits({
      ...REPO,
      pull_number: pr.number,
    });
    assert.deepEqual(
      commits.data.map(c => c.sha),
      [head.sha],
    );
    const release = await octokit.repos.createRelease({
      ...REPO,
      tag_name: 'v2026.12.0',
      name: 'December',
    });
    assert.equal(release.status, 201);
    // Publishing a release creates its tag on the default branch.
    const tags = await octokit.repos.listTags(REPO);
    assert.deepEqual(
      tags.data.map(t => t.name),
      ['v2026.12.0'],
    );
    const main = await octokit.repos.getBranch({ ...REPO, branch: 'main' });
    assert.equal(tags.data[0].commit.sha, main.data.commit.sha);
    const latest = await octokit.repos.getLatestRelease(REPO);
    assert.equal(latest.data.id, release.data.id);
    const releases = await gh(forge, [
      'api',
      `repos/${REPO.owner}/${REPO.repo}/releases`,
      '--jq',
      '.[].tag_name',
    ]);
    assert.equal(releases.stdout.trim(), 'v2026.12.0');
  });

  test('the caller, its repositories and the organisation', async () => {
    const me = await octokit.users.getAuthenticated();
    assert.equal(me.data.login, 'homelab-portal');
    const repos = await octokit.repos.listForAuthenticatedUser();
    assert.deepEqual(repos.data.map(r => r.full_name).sort(), [
      'home-ops/home-ops',
      'home-ops/k8s-gitops',
    ]);
    const org = await octokit.orgs.get({ org: 'home-ops' });
    assert.equal(org.data.type, 'Organization');
    assert.equal(org.data.total_private_repos, 2);
    const viewer = await gh(forge, [
      'api',
      'graphql',
      '-f',
      'query={ viewer { login } }',
    ]);
    assert.equal(JSON.parse(viewer.stdout).data.viewer.login, 'homelab-portal');
  });

  test('GraphQL errors are HTTP 200 with `errors`, in GitHub’s words', async () => {
    const res = await forge.fetch(`${forge.url}/api/graphql`, {
      method: 'POST',
      headers: {
        authorization: `bearer ${forge.token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        query: '{ repository(owner: "home-ops", name: "home-ops") { nope } }',
      }),
    });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.data, undefined);
    assert.equal(
      body.errors[0].message,
      "Field 'nope' doesn't exist on type 'Repository'",
    );
    assert.equal(body.errors[0].extensions.code, 'undefinedField');
    // Octokit turns a 200 with errors into a GraphqlResponseError.
    await assert.rejects(
      octokit.graphql(
        'query { repository(owner: "home-ops", name: "missing") { id } }',
      ),
      e =>
        e.name === 'GraphqlResponseError' && e.errors[0].type === 'NOT_FOUND',
    );
    // gh prints GraphQL errors and fails.
    const missing = await gh(forge, ['pr', 'view', '999']);
    assert.notEqual(missing.code, 0);
    assert.match(
      missing.stderr,
      /Could not resolve to a PullRequest with the number of 999/,
    );
  });

  test('conditional requests: ETag, 304 Not Modified, no rate-limit cost', async () => {
    // docs rest/using-the-rest-api/best-practices-for-using-the-rest-api#use-conditional-requests-if-appropriate
    const first = await octokit.repos.get(REPO);
    const etag = first.headers.etag;
    assert.match(etag, /^W\/"[0-9a-f]+"$/);
    const before = Number(first.headers['x-ratelimit-remaining']);
    await assert.rejects(
      octokit.repos.get({ ...REPO, headers: { 'if-none-match': etag } }),
      e => e.status === 304,
    );
    const after = await octokit.repos.get(REPO);
    // The 304 was not counted: only this last request was.
    assert.equal(Number(after.headers['x-ratelimit-remaining']), before - 1);
  });

  test('private repositories: no anonymous API, raw or web access', async () => {
    // A private repository is a 404 to anyone without access (API and web).
    const anonymous = new Octokit({
      baseUrl: `${forge.url}/api/v3`,
      request: { fetch: forge.fetch },
    });
    await assert.rejects(anonymous.repos.get(REPO), e => e.status === 404);
    for (const p of [
      '/home-ops/home-ops/raw/main/README.md',
      '/home-ops/home-ops/blob/main/README.md',
    ]) {
      const res = await forge.fetch(`${forge.url}${p}`);
      assert.equal(res.status, 404, p);
    }
    const withToken = await forge.fetch(
      `${forge.url}/home-ops/home-ops/raw/main/README.md`,
      {
        headers: { authorization: `token ${forge.token}` },
      },
    );
    assert.equal(withToken.status, 200);
  });
});

describe('GitHub rate limits, enforced', () => {
  let forge;
  before(async () => {
    forge = await startForge({
      forge: { rateLimits: { core: 5, contentPerMinute: 2 } },
    });
  });
  after(async () => forge?.close());

  test('primary limit: 403 with x-ratelimit-remaining 0 and the reset time', async () => {
    // docs rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit:
    // "you will receive a 403 or 429 response, and the x-ratelimit-remaining
    // header will be 0"; wait until x-ratelimit-reset.
    const octokit = octokitFor(forge, forge.readToken);
    for (let i = 0; i < 5; i++) await octokit.repos.get(REPO);
    const error = await octokit.repos.get(REPO).catch(e => e);
    assert.equal(error.status, 403);
    assert.equal(error.response.headers['x-ratelimit-remaining'], '0');
    assert.ok(
      Number(error.response.headers['x-ratelimit-reset']) > Date.now() / 1000,
    );
    assert.match(error.message, /API rate limit exceeded for user ID/);
    // GET /rate_limit does not count and shows the window used up.
    const limit = await octokit.rateLimit.get();
    assert.equal(limit.data.resources.core.remaining, 0);
  });

  test('secondary limit on content creation: 429 with Retry-After', async () => {
    // docs: "If the retry-after response header is present, you should not
    // retry your request until after that many seconds has elapsed."
    const octokit = octokitFor(forge);
    const issue = () => octokit.issues.create({ ...REPO, title: 'rate' });
    await issue();
    await issue();
    const error = await issue().catch(e => e);
    assert.equal(error.status, 429);
    const wait = Number(error.response.headers['retry-after']);
    assert.ok(wait >= 1 && wait <= 60, String(wait));
    assert.match(error.message, /secondary rate limit/);
  });
});
