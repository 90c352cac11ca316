import { ForgeRepo } from '../ForgeModel';
import { StatusState, StoredCheckRun } from '../store/ActivityStore';
import { ActivityShapes } from './activityShapes';
import { githubError, notFound } from './errors';
import { GithubRoutes, RepoCtx } from './GithubRoutes';
import { field, oneOf, paginate, readJson, send } from './http';

const STATES = ['error', 'failure', 'pending', 'success'] as const;
const RUN_STATUSES = ['queued', 'in_progress', 'completed'] as const;
const CONCLUSIONS = [
  'action_required',
  'cancelled',
  'failure',
  'neutral',
  'success',
  'skipped',
  'timed_out',
] as const;

/**
 * What CI reports on commits: commit statuses (any token with push access)
 * and check runs (GitHub Apps only: the forge's CI app token), with the
 * combined status GitHub derives from the latest status of each context.
 */
export function registerChecks(gh: GithubRoutes, shapes: ActivityShapes) {
  const { forge, model, pulls } = gh;
  const { activity } = forge;

  const statusesOf = (repo: ForgeRepo, sha: string) =>
    activity
      .list('statuses', repo.fullName, s => s.sha === sha)
      .sort((a, b) => b.id - a.id);

  gh.repoRoute(
    'POST',
    '/statuses/:sha',
    { write: true, docs: 'rest/commits/statuses#create-a-commit-status' },
    async ({ req, res, repo, caller }) => {
      const docs = 'rest/commits/statuses#create-a-commit-status';
      const body = await readJson(req, docs);
      const state = oneOf(body, 'state', STATES, docs, true)! as StatusState;
      const sha = await gh.commitOr422(repo, req.params.sha, docs);
      const at = forge.stamp();
      const stored = await activity.add('statuses', {
        repo: repo.fullName,
        sha,
        state,
        context: field<string>(body, 'context', 'string', docs) || 'default',
        description: field<string>(body, 'description', 'string', docs) ?? null,
        targetUrl: field<string>(body, 'target_url', 'string', docs) ?? null,
        creator: caller!.account.login,
        createdAt: at,
        updatedAt: at,
      });
      const json = shapes.status(repo, stored);
      send(res, 201, json, { location: json.url });
    },
  );

  const listStatuses = async ({ req, res, repo }: RepoCtx) => {
    const docs = 'rest/commits/statuses#list-commit-statuses-for-a-reference';
    const sha = await gh.commitOr422(repo, req.params.ref, docs);
    const { items, headers } = paginate(
      req,
      model.baseUrl,
      statusesOf(repo, sha),
    );
    send(
      res,
      200,
      items.map(s => shapes.status(repo, s)),
      headers,
    );
  };
  gh.repoRoute(
    'GET',
    '/commits/*ref/statuses',
    { docs: 'rest/commits/statuses#list-commit-statuses-for-a-reference' },
    listStatuses,
  );
  // The older spelling of the same list.
  gh.repoRoute(
    'GET',
    '/statuses/*ref',
    { docs: 'rest/commits/statuses#list-commit-statuses-for-a-reference' },
    listStatuses,
  );

  // Also what Backstage's GitHub URL reader asks for (sha and archive_url).
  gh.repoRoute(
    'GET',
    '/commits/*ref/status',
    {
      docs: 'rest/commits/statuses#get-the-combined-status-for-a-specific-reference',
    },
    async ({ req, res, repo, caller }) => {
      const sha = await gh.commitOr422(
        repo,
        req.params.ref,
        'rest/commits/statuses#get-the-combined-status-for-a-specific-reference',
      );
      send(
        res,
        200,
        shapes.combinedStatus(
          repo,
          sha,
          statusesOf(repo, sha),
          gh.shapes.repository(repo, caller, await gh.stats(repo)),
        ),
      );
    },
  );

  // --- check runs ----------------------------------------------------------------
  const runJson = (repo: ForgeRepo, run: StoredCheckRun) =>
    shapes.checkRun(
      repo,
      run,
      pulls
        .list(repo)
        .filter(p => p.state === 'open' && p.headSha === run.headSha),
    );

  const appOnly = (caller: { app?: unknown } | undefined, docs: string) => {
    if (!caller?.app)
      throw githubError(403, 'You must authenticate via a GitHub App.', docs);
  };

  /** Fields of a check run from a create or update body. */
  const runFields = (body: Record<string, unknown>, docs: string) => {
    const conclusion = oneOf(body, 'conclusion', CONCLUSIONS, docs);
    let status = oneOf(body, 'status', RUN_STATUSES, docs);
    // GitHub: giving a conclusion completes the run.
    if (conclusion) status = 'completed';
    if (status === 'completed' && !conclusion && body.conclusion === undefined)
      throw githubError(
        422,
        'Invalid request.\n\nNo subschema in "anyOf" matched.\n"conclusion" wasn\'t supplied.',
        docs,
      );
    const output = field<Record<string, unknown>>(
      body,
      'output',
      'object',
      docs,
    );
    return {
      status,
      conclusion,
      detailsUrl: field<string>(body, 'details_url', 'string', docs),
      externalId: field<string>(body, 'external_id', 'string', docs),
      startedAt: field<string>(body, 'started_at', 'string', docs),
      completedAt: field<string>(body, 'completed_at', 'string', docs),
      title: typeof output?.title === 'string' ? output.title : undefined,
      summary: typeof output?.summary === 'string' ? output.summary : undefined,
    };
  };

  gh.repoRoute(
    'POST',
    '/check-runs',
    { write: true, docs: 'rest/checks/runs#create-a-check-run' },
    async ({ req, res, repo, caller }) => {
      const docs = 'rest/checks/runs#create-a-check-run';
      appOnly(caller, docs);
      const body = await readJson(req, docs);
      const name = field<string>(body, 'name', 'string', docs, true)!;
      const headSha = field<string>(body, 'head_sha', 'string', docs, true)!;
      const sha = await repo.git.resolveCommit(headSha);
      if (!sha || sha !== headSha)
        throw githubError(422, `No commit found for SHA: ${headSha}`, docs);
      const f = runFields(body, docs);
      const now = forge.stamp();
      const status = f.status ?? 'queued';
      const run = await activity.add('checkRuns', {
        repo: repo.fullName,
        headSha: sha,
        name,
        status,
        conclusion: f.conclusion ?? null,
        detailsUrl: f.detailsUrl ?? null,
        externalId: f.externalId ?? null,
        title: f.title ?? null,
        summary: f.summary ?? null,
        startedAt: f.startedAt ?? now,
        completedAt: status === 'completed' ? f.completedAt ?? now : null,
      });
      send(res, 201, runJson(repo, run));
    },
  );

  gh.repoRoute(
    'PATCH',
    '/check-runs/:id',
    { write: true, docs: 'rest/checks/runs#update-a-check-run' },
    async ({ req, res, repo, caller }) => {
      const docs = 'rest/checks/runs#update-a-check-run';
      appOnly(caller, docs);
      if (!activity.get('checkRuns', repo.fullName, Number(req.params.id)))
        throw notFound(docs);
      const body = await readJson(req, docs);
      const f = runFields(body, docs);
      const name = field<string>(body, 'name', 'string', docs);
      const run = await activity.update(
        'checkRuns',
        repo.fullName,
        Number(req.params.id),
        r => {
          if (name) r.name = name;
          if (f.status) r.status = f.status;
          if (f.conclusion) r.conclusion = f.conclusion;
          if (f.detailsUrl !== undefined) r.detailsUrl = f.detailsUrl;
          if (f.externalId !== undefined) r.externalId = f.externalId;
          if (f.title !== undefined) r.title = f.title;
          if (f.summary !== undefined) r.summary = f.summary;
          if (r.status === 'completed')
            r.completedAt = f.completedAt ?? r.completedAt ?? forge.stamp();
        },
      );
      send(res, 200, runJson(repo, run!));
    },
  );

  gh.repoRoute(
    'GET',
    '/check-runs/:id',
    { docs: 'rest/checks/runs#get-a-check-run' },
    ({ req, res, repo }) => {
      const run = activity.get(
        'checkRuns',
        repo.fullName,
        Number(req.params.id),
      );
      if (!run) throw notFound('rest/checks/runs#get-a-check-run');
      send(res, 200, runJson(repo, run));
    },
  );

  gh.repoRoute(
    'GET',
    '/commits/*ref/check-runs',
    { docs: 'rest/checks/runs#list-check-runs-for-a-git-reference' },
    async ({ req, res, repo }) => {
      const docs = 'rest/checks/runs#list-check-runs-for-a-git-reference';
      const sha = await gh.commitOr422(repo, req.params.ref, docs);
      const name = req.query.get('check_name');
      const status = req.query.get('status');
      // filter=latest (the default): the newest run of each name.
      const latest = req.query.get('filter') !== 'all';
      const seen = new Set<string>();
      const runs = activity
        .list(
          'checkRuns',
          repo.fullName,
          r =>
            r.headSha === sha &&
            (!name || r.name === name) &&
            (!status || r.status === status),
        )
        .sort((a, b) => b.id - a.id)
        .filter(r => {
          if (!latest) return true;
          if (seen.has(r.name)) return false;
          seen.add(r.name);
          return true;
        });
      const { items, headers } = paginate(req, model.baseUrl, runs);
      send(
        res,
        200,
        {
          total_count: runs.length,
          check_runs: items.map(r => runJson(repo, r)),
        },
        headers,
      );
    },
  );
}
