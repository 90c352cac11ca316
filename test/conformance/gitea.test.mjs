// gitea-js (the typed client generated from Gitea's swagger) against the
// demo forge's Gitea 1.22 API. Expectations follow Gitea's documented
// behaviour (reference/gitea swagger, Gitea's own code where cited).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { giteaApi } from 'gitea-js';
import { git, pushBranch, startForge } from './lib/forge.mjs';

const OWNER = 'home-ops';
const REPO = 'k8s-gitops';

/** gitea-js throws the HttpResponse itself for a non-2xx answer. */
async function refusal(promise) {
  try {
    await promise;
  } catch (response) {
    return { status: response.status, error: response.error };
  }
  throw new Error('expected the call to be refused');
}

describe('gitea-js against the demo forge', () => {
  let forge;
  let api;
  let pr;
  let head;

  before(async () => {
    forge = await startForge();
    api = giteaApi(forge.url, { token: forge.token, customFetch: forge.fetch });
    head = await pushBranch(
      forge,
      `${OWNER}/${REPO}`,
      'feat/add-linkwarden',
      'k8s/apps/productivity/linkwarden/kustomization.yaml',
      'resources: [deployment.yaml]\n',
    );
  });
  after(async () => forge?.close());

  test('version, caller and repository', async () => {
    assert.equal((await api.version.getVersion()).data.version, '1.22.0');
    assert.equal(
      (await api.user.userGetCurrent()).data.login,
      'homelab-portal',
    );
    const repo = await api.repos.repoGet(OWNER, REPO);
    assert.equal(repo.data.default_branch, 'main');
    assert.deepEqual(repo.data.permissions, {
      admin: false,
      push: true,
      pull: true,
    });
  });

  test('a pull request: "checking" first (mergeable false), then mergeable', async () => {
    // Gitea tests mergeability in a queue; until the check is done the pull
    // request's status is "checking" and `mergeable` is false
    // (models/issues/pull.go: Mergeable()).
    const created = await api.repos.repoCreatePullRequest(OWNER, REPO, {
      head: 'feat/add-linkwarden',
      base: 'main',
      title: 'feat(linkwarden): add the app',
      body: 'From the portal.',
    });
    pr = created.data;
    assert.equal(created.status, 201);
    assert.equal(pr.mergeable, false);
    const again = await api.repos.repoGetPullRequest(OWNER, REPO, pr.number);
    assert.equal(again.data.mergeable, true);
    assert.equal(again.data.head.sha, head.sha);
  });

  test('files, commits and the .diff of a pull request', async () => {
    const files = await api.repos.repoGetPullRequestFiles(
      OWNER,
      REPO,
      pr.number,
    );
    assert.deepEqual(
      files.data.map(f => [f.filename, f.status, f.additions]),
      [['k8s/apps/productivity/linkwarden/kustomization.yaml', 'added', 1]],
    );
    assert.equal(files.headers.get('x-total-count'), '1');
    const commits = await api.repos.repoGetPullRequestCommits(
      OWNER,
      REPO,
      pr.number,
    );
    assert.deepEqual(
      commits.data.map(c => c.sha),
      [head.sha],
    );
    assert.equal(commits.data[0].stats.additions, 1);
    const diff = await api.repos.repoDownloadPullDiffOrPatch(
      OWNER,
      REPO,
      pr.number,
      'diff',
      undefined,
      { format: 'text' },
    );
    await git(forge, ['fetch', '--quiet', 'origin', 'main'], { cwd: head.dir });
    assert.equal(
      diff.data,
      await git(forge, ['diff', 'origin/main...HEAD'], { cwd: head.dir }),
    );
  });

  test('reviews and comments', async () => {
    // The poster may not approve their own pull request (services/pull/review.go).
    const own = await refusal(
      api.repos.repoCreatePullReview(OWNER, REPO, pr.number, {
        event: 'APPROVED',
      }),
    );
    assert.equal(own.status, 422);
    const review = await api.repos.repoCreatePullReview(
      OWNER,
      REPO,
      pr.number,
      {
        event: 'COMMENT',
        body: 'Route and namespace look right.',
      },
    );
    assert.equal(review.data.state, 'COMMENT');
    const reviews = await api.repos.repoListPullReviews(OWNER, REPO, pr.number);
    assert.deepEqual(
      reviews.data.map(r => r.id),
      [review.data.id],
    );
    const comment = await api.repos.issueCreateComment(OWNER, REPO, pr.number, {
      body: 'Deploying after the merge.',
    });
    assert.equal(comment.status, 201);
    const comments = await api.repos.issueGetComments(OWNER, REPO, pr.number);
    assert.deepEqual(
      comments.data.map(c => c.body),
      ['Deploying after the merge.'],
    );
  });

  test('commit statuses and the combined status', async () => {
    await api.repos.repoCreateStatus(OWNER, REPO, head.sha, {
      state: 'pending',
      context: 'kustomize build',
    });
    await api.repos.repoCreateStatus(OWNER, REPO, head.sha, {
      state: 'success',
      context: 'kustomize build',
      target_url: 'https://ci.home.example.org/runs/2',
    });
    await api.repos.repoCreateStatus(OWNER, REPO, head.sha, {
      state: 'failure',
      context: 'kubeconform',
    });
    // The latest status per context counts; the worst of them wins.
    const combined = await api.repos.repoGetCombinedStatusByRef(
      OWNER,
      REPO,
      head.sha,
    );
    assert.equal(combined.data.state, 'failure');
    assert.deepEqual(
      combined.data.statuses.map(s => [s.context, s.status]).sort(),
      [
        ['kubeconform', 'failure'],
        ['kustomize build', 'success'],
      ],
    );
  });

  test('commit list, compare, references and tags', async () => {
    const commits = await api.repos.repoGetAllCommits(OWNER, REPO, {
      sha: 'feat/add-linkwarden',
      limit: 2,
    });
    assert.equal(commits.data.length, 2);
    assert.equal(commits.data[0].sha, head.sha);
    assert.ok(Number(commits.headers.get('x-total-count')) > 2);
    assert.equal(commits.headers.get('x-hasmore'), 'true');
    const compare = await api.repos.repoCompareDiff(
      OWNER,
      REPO,
      'main...feat/add-linkwarden',
    );
    assert.equal(compare.data.total_commits, 1);
    const refs = await api.repos.repoListAllGitRefs(OWNER, REPO);
    assert.ok(refs.data.some(r => r.ref === 'refs/heads/feat/add-linkwarden'));
    const tag = await api.repos.repoCreateTag(OWNER, REPO, {
      tag_name: 'v1.0.0',
      target: 'main',
      message: 'First household release',
    });
    assert.equal(tag.data.name, 'v1.0.0');
    assert.equal(tag.data.message, 'First household release');
    const tags = await api.repos.repoListTags(OWNER, REPO);
    assert.deepEqual(
      tags.data.map(t => t.name),
      ['v1.0.0'],
    );
    const release = await api.repos.repoCreateRelease(OWNER, REPO, {
      tag_name: 'v1.0.0',
      name: 'First',
    });
    assert.equal(release.status, 201);
    assert.equal(
      (await api.repos.repoGetLatestRelease(OWNER, REPO)).data.id,
      release.data.id,
    );
  });

  test('merge, merged check and branch deletion', async () => {
    const merge = await api.repos.repoMergePullRequest(OWNER, REPO, pr.number, {
      Do: 'merge',
      delete_branch_after_merge: false,
    });
    assert.equal(merge.status, 200);
    const merged = await api.repos.repoPullRequestIsMerged(
      OWNER,
      REPO,
      pr.number,
    );
    assert.equal(merged.status, 204);
    // The default branch cannot be deleted (403); a merged branch can (204).
    const main = await refusal(api.repos.repoDeleteBranch(OWNER, REPO, 'main'));
    assert.equal(main.status, 403);
    const deleted = await api.repos.repoDeleteBranch(
      OWNER,
      REPO,
      'feat/add-linkwarden',
    );
    assert.equal(deleted.status, 204);
    const gone = await refusal(
      api.repos.repoGetBranch(OWNER, REPO, 'feat/add-linkwarden'),
    );
    assert.equal(gone.status, 404);
  });

  test('private repositories are invisible without a token', async () => {
    const anonymous = giteaApi(forge.url, { customFetch: forge.fetch });
    const res = await refusal(anonymous.repos.repoGet(OWNER, REPO));
    assert.equal(res.status, 404);
  });
});
