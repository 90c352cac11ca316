import type { ServerResponse } from 'node:http';
import { Router, sendJson, SimRequest } from '../../http/Router';
import { authenticate } from '../auth';
import { ForgeContext, RepoStats } from '../ForgeContext';
import { Caller, ForgeRepo } from '../ForgeModel';
import {
  GitPerson,
  personAt,
  TreeChange,
  TreeEditError,
} from '../git/GitRepository';
import { PullError } from '../pulls/PullService';
import { StoredPull } from '../pulls/PullStore';
import { giteaError, giteaNotFound } from './errors';
import { GiteaShapes } from './shapes';

export const GITEA_VERSION = '1.22.0';

type Ctx = {
  req: SimRequest;
  res: ServerResponse;
  caller?: Caller;
  repo: ForgeRepo;
};

type FileOperation = {
  operation: 'create' | 'update' | 'delete';
  path: string;
  content?: string;
  sha?: string;
  from_path?: string;
};

/** JSON with Gitea's exact content-type. */
function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  sendJson(res, status, body, {
    'content-type': 'application/json;charset=utf-8',
    ...headers,
  });
}

/**
 * The Gitea 1.22 API subset under `/api/v1` for "branch + files + pull
 * request" (reference/gitea/gitea-swagger-v1.22.0.json): what a Gitea or
 * Forgejo pull-request scaffolder action needs, plus merge for tests.
 */
export function registerGiteaApi(router: Router, forge: ForgeContext) {
  const { model, pulls } = forge;
  const shapes = new GiteaShapes(model);
  const P = '/api/v1';
  const swagger = () => `${model.baseUrl}/api/swagger`;
  const err = (status: number, message: string) =>
    giteaError(status, message, swagger());
  const notFound = (message?: string, errors?: string[] | null) =>
    giteaNotFound(swagger(), message, errors);

  const readJson = async (
    req: SimRequest,
  ): Promise<Record<string, unknown>> => {
    const text = (await req.body()).toString('utf8');
    if (!text.trim()) return {};
    try {
      const v = JSON.parse(text);
      if (typeof v !== 'object' || v === null || Array.isArray(v))
        throw new Error('not an object');
      return v;
    } catch (e) {
      throw err(422, `[]: ${(e as Error).message}`);
    }
  };

  /** Gitea's binding errors: `[Field]: Required`. */
  const requireString = (
    body: Record<string, unknown>,
    key: string,
    label: string,
  ): string => {
    const v = body[key];
    if (typeof v !== 'string' || !v) throw err(422, `[${label}]: Required`);
    return v;
  };

  const identify = (req: SimRequest): Caller | undefined => {
    // Deprecated (removed in 1.23) but still served by 1.22: ?token= / ?access_token=.
    const queryToken = req.query.get('token') ?? req.query.get('access_token');
    if (queryToken && !req.headers.authorization) {
      const caller = model.callerFor(queryToken);
      if (!caller) throw err(401, 'invalid username, password or token');
      return caller;
    }
    const auth = authenticate(model, req);
    if (auth.kind === 'invalid')
      throw err(401, 'invalid username, password or token');
    return auth.kind === 'caller' ? auth.caller : undefined;
  };

  const requireWrite = (caller: Caller) => {
    if (caller.scope !== 'write')
      throw err(
        403,
        'token does not have at least one of required scope(s): [write:repository]',
      );
  };

  const repoRoute = (
    method: string,
    path: string,
    handler: (ctx: Ctx) => Promise<void> | void,
    options: { write?: boolean } = {},
  ) => {
    router.add(method, `${P}/repos/:owner/:repo${path}`, async (req, res) => {
      const caller = identify(req);
      const repo = model.repo(req.params.owner, req.params.repo);
      // A private repository is invisible without a token.
      if (!repo || !caller) throw notFound();
      if (options.write) requireWrite(caller);
      await handler({ req, res, caller, repo });
    });
  };

  const stats = (repo: ForgeRepo) => forge.repoStats(repo);

  const pullJson = async (ctx: Ctx, p: StoredPull, known?: RepoStats) =>
    shapes.pullRequest(
      ctx.repo,
      await pulls.view(ctx.repo, p),
      ctx.caller,
      known ?? (await stats(ctx.repo)),
    );

  const pageOf = (req: SimRequest) => {
    const limit = Math.min(
      50,
      Math.max(1, Number(req.query.get('limit') ?? 30) || 30),
    );
    const page = Math.max(1, Number(req.query.get('page') ?? 1) || 1);
    return { limit, page };
  };

  // --- meta ------------------------------------------------------------------------
  router.get(`${P}/version`, (_req, res) =>
    send(res, 200, { version: GITEA_VERSION }),
  );

  router.get(`${P}/user`, async (req, res) => {
    const caller = identify(req);
    if (!caller) throw err(401, 'token is required');
    const created = model.repos[0]
      ? (await stats(model.repos[0])).createdAt
      : new Date(forge.now()).toISOString();
    send(res, 200, shapes.user(caller.account, created));
  });

  // --- repository and branches ---------------------------------------------------------
  repoRoute('GET', '', async ({ res, repo, caller }) => {
    send(res, 200, shapes.repository(repo, caller, await stats(repo)));
  });

  repoRoute('GET', '/branches', async ({ req, res, repo, caller }) => {
    const { limit, page } = pageOf(req);
    const all = await repo.git.refs('refs/heads/');
    const out = [];
    for (const b of all.slice((page - 1) * limit, page * limit)) {
      out.push(
        shapes.branch(
          repo,
          b.ref.slice('refs/heads/'.length),
          (await repo.git.commit(b.sha))!,
          caller,
        ),
      );
    }
    send(res, 200, out, { 'x-total-count': String(all.length) });
  });

  repoRoute('GET', '/branches/*branch', async ({ req, res, repo, caller }) => {
    const name = req.params.branch;
    const sha = await repo.git.branchSha(name);
    if (!sha)
      throw notFound('GetBranch', [`branch does not exist [name: ${name}]`]);
    send(
      res,
      200,
      shapes.branch(repo, name, (await repo.git.commit(sha))!, caller),
    );
  });

  repoRoute(
    'POST',
    '/branches',
    async ({ req, res, repo, caller }) => {
      const body = await readJson(req);
      const name = requireString(body, 'new_branch_name', 'NewBranchName');
      const oldRef =
        typeof body.old_ref_name === 'string' && body.old_ref_name
          ? body.old_ref_name
          : undefined;
      const oldBranch =
        typeof body.old_branch_name === 'string' && body.old_branch_name
          ? body.old_branch_name
          : undefined;
      let from: string | undefined;
      if (oldRef) from = await repo.git.resolveCommit(oldRef);
      else if (oldBranch) from = await repo.git.branchSha(oldBranch);
      else from = await repo.git.branchSha(repo.defaultBranch);
      if (!from) throw err(404, 'The old branch does not exist');
      const ref = `refs/heads/${name}`;
      if (!(await repo.git.isValidRefName(ref)))
        throw err(422, `[NewBranchName]: GitRefName`);
      if (await repo.git.refSha(ref))
        throw err(409, 'The branch already exists.');
      const clash = (await repo.git.refs('refs/heads/')).some(
        r => r.ref.startsWith(`${ref}/`) || ref.startsWith(`${r.ref}/`),
      );
      if (clash)
        throw err(409, 'The branch with a conflicting name already exists.');
      try {
        await repo.git.updateRef(ref, from, '', 'create branch');
      } catch {
        throw err(409, 'The branch already exists.');
      }
      send(
        res,
        201,
        shapes.branch(repo, name, (await repo.git.commit(from))!, caller),
      );
    },
    { write: true },
  );

  // --- contents ------------------------------------------------------------------------
  const refOf = async (repo: ForgeRepo, ref: string) => {
    const isBranch = !!(await repo.git.branchSha(ref));
    const sha = await repo.git.resolveCommit(ref);
    return { sha, isBranch };
  };

  const lastCommitFor = async (
    repo: ForgeRepo,
    commit: string,
    filePath: string,
  ) =>
    (await repo.git.log(commit, { max: 1, path: filePath || undefined }))[0]
      ?.sha ?? commit;

  const contentsOf = async (
    repo: ForgeRepo,
    commit: string,
    filePath: string,
    ref: string,
    isBranch: boolean,
  ) => {
    const entry = await repo.git.entryAt(commit, filePath);
    if (!entry) return undefined;
    const last = await lastCommitFor(repo, commit, filePath);
    if (entry.type === 'tree') {
      const children = await repo.git.lsTree(entry.sha);
      const out = [];
      for (const child of children) {
        const p = filePath ? `${filePath}/${child.path}` : child.path;
        out.push(
          shapes.contents(
            repo,
            child,
            p,
            ref,
            isBranch,
            await lastCommitFor(repo, commit, p),
          ),
        );
      }
      return out;
    }
    const content =
      entry.type === 'blob' ? await repo.git.readBlob(entry.sha) : undefined;
    return shapes.contents(repo, entry, filePath, ref, isBranch, last, content);
  };

  const getContents = async ({ req, res, repo }: Ctx) => {
    const ref = req.query.get('ref') || repo.defaultBranch;
    const filePath = (req.params.filepath ?? '').replace(/^\/+|\/+$/g, '');
    const { sha, isBranch } = await refOf(repo, ref);
    if (!sha)
      throw notFound('GetContentsOrList', [
        `object does not exist [id: ${ref}, rel_path: ]`,
      ]);
    const out = await contentsOf(repo, sha, filePath, ref, isBranch);
    if (!out)
      throw notFound('GetContentsOrList', [
        `object does not exist [id: ${sha}, rel_path: ${filePath}]`,
      ]);
    send(res, 200, out);
  };
  repoRoute('GET', '/contents', getContents);
  repoRoute('GET', '/contents/*filepath', getContents);

  repoRoute('GET', '/raw/*filepath', async ({ req, res, repo }) => {
    const ref = req.query.get('ref') || repo.defaultBranch;
    const { sha } = await refOf(repo, ref);
    const entry = sha
      ? await repo.git.entryAt(sha, req.params.filepath)
      : undefined;
    if (!entry || entry.type !== 'blob')
      throw notFound('GetBlobByPath', [
        `object does not exist [id: ${sha ?? ref}, rel_path: ${
          req.params.filepath
        }]`,
      ]);
    const blob = await repo.git.readBlob(entry.sha);
    res.writeHead(200, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': blob.length,
    });
    res.end(blob);
  });

  // repoGetArchive: what Backstage's Gitea URL reader downloads for readTree.
  repoRoute('GET', '/archive/*archive', async ({ req, res, repo }) => {
    const m = /^(.+)\.(tar\.gz|zip)$/.exec(req.params.archive);
    const sha = m ? await repo.git.resolveCommit(m[1]) : undefined;
    if (!m || !sha) throw notFound();
    const prefix = `${repo.name}/`;
    const body =
      m[2] === 'zip'
        ? await repo.git.git([
            'archive',
            '--format=zip',
            `--prefix=${prefix}`,
            sha,
          ])
        : await repo.git.archive(sha, prefix);
    res.writeHead(200, {
      'content-type': m[2] === 'zip' ? 'application/zip' : 'application/gzip',
      'content-length': body.length,
      'content-disposition': `attachment; filename="${repo.name}-${m[1].replace(
        /\//g,
        '-',
      )}.${m[2]}"`,
    });
    res.end(body);
  });

  repoRoute('GET', '/git/commits/*sha', async ({ req, res, repo }) => {
    const sha = await repo.git.resolveCommit(req.params.sha);
    const c = sha ? await repo.git.commit(sha) : undefined;
    if (!c)
      throw notFound(
        `object does not exist [id: ${req.params.sha}, rel_path: ]`,
      );
    const person = (p: GitPerson) => ({
      name: p.name,
      email: p.email,
      date: new Date(p.time * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
    send(res, 200, {
      url: `${shapes.api}/repos/${repo.fullName}/git/commits/${c.sha}`,
      sha: c.sha,
      created: person(c.committer).date,
      html_url: `${model.baseUrl}/${repo.fullName}/commit/${c.sha}`,
      commit: {
        url: `${shapes.api}/repos/${repo.fullName}/git/commits/${c.sha}`,
        author: person(c.author),
        committer: person(c.committer),
        message: c.message,
        tree: {
          url: `${shapes.api}/repos/${repo.fullName}/git/trees/${c.tree}`,
          sha: c.tree,
          created: person(c.committer).date,
        },
        verification: {
          verified: false,
          reason: 'gpg.error.not_signed_commit',
          signature: '',
          signer: null,
          payload: '',
        },
      },
      author: null,
      committer: null,
      parents: c.parents.map(p => ({
        url: `${shapes.api}/repos/${repo.fullName}/git/commits/${p}`,
        sha: p,
        created: '0001-01-01T00:00:00Z',
      })),
      files: null,
      stats: null,
    });
  });

  /**
   * One commit with several file operations on a branch, optionally creating
   * the branch first (`new_branch`), with Gitea's checks and error wording
   * (services/repository/files/update.go).
   */
  const changeFiles = async (
    ctx: Ctx,
    body: Record<string, unknown>,
    files: FileOperation[],
    defaultMessage: string,
  ) => {
    const { repo, caller } = ctx;
    const branch =
      typeof body.branch === 'string' && body.branch
        ? body.branch
        : repo.defaultBranch;
    const newBranch =
      typeof body.new_branch === 'string' && body.new_branch
        ? body.new_branch
        : undefined;
    const baseSha = await repo.git.branchSha(branch);
    if (!baseSha) throw err(404, `branch does not exist [name: ${branch}]`);
    const target = newBranch ?? branch;
    if (newBranch) {
      if (await repo.git.branchSha(newBranch))
        throw err(422, `branch already exists [name: ${newBranch}]`);
      if (!(await repo.git.isValidRefName(`refs/heads/${newBranch}`)))
        throw err(422, `[NewBranchName]: GitRefName`);
    }
    const base = (await repo.git.commit(baseSha))!;
    const changes: TreeChange[] = [];
    const seen = new Set<string>();
    for (const f of files) {
      const clean = cleanPath(f.path);
      if (!clean)
        throw err(
          422,
          `path contains a malformed path component [path: ${f.path}]`,
        );
      if (seen.has(clean))
        throw err(
          422,
          `path contains a malformed path component [path: ${clean}]`,
        );
      seen.add(clean);
      const existing = await repo.git.entryAt(baseSha, clean);
      if (f.operation === 'create') {
        if (existing)
          throw err(422, `repository file already exists [path: ${clean}]`);
      } else {
        const from =
          f.operation === 'update' && f.from_path
            ? cleanPath(f.from_path)
            : clean;
        if (!from)
          throw err(
            422,
            `path contains a malformed path component [path: ${f.from_path}]`,
          );
        const current =
          from === clean ? existing : await repo.git.entryAt(baseSha, from);
        if (!current || current.type !== 'blob')
          throw err(404, `repository file does not exist [path: ${from}]`);
        if (!f.sha)
          throw err(
            422,
            'a SHA or commit ID must be proved when updating a file',
          );
        if (f.sha !== current.sha)
          throw err(
            422,
            `sha does not match [given: ${f.sha}, expected: ${current.sha}]`,
          );
        if (from !== clean) {
          if (existing)
            throw err(422, `repository file already exists [path: ${clean}]`);
          changes.push({ path: from, mode: current.mode, sha: null });
        }
      }
      if (f.operation === 'delete') {
        changes.push({ path: clean, mode: existing!.mode, sha: null });
        continue;
      }
      // Go's StdEncoding: padded standard alphabet (line breaks ignored).
      const text = (f.content ?? '').replace(/[\r\n]/g, '');
      if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text))
        throw err(
          422,
          `illegal base64 data at input byte ${Math.max(
            0,
            text.search(/[^A-Za-z0-9+/=]/),
          )}`,
        );
      const blob = await repo.git.writeBlob(Buffer.from(text, 'base64'));
      changes.push({
        path: clean,
        mode: existing?.mode === '100755' ? '100755' : '100644',
        sha: blob,
      });
    }
    let tree: string;
    try {
      tree = await repo.git.editTree(base.tree, changes);
    } catch (e) {
      if (e instanceof TreeEditError)
        throw err(
          422,
          `path contains a malformed path component [path: ${e.path}]`,
        );
      throw e;
    }
    const identity = (v: unknown) =>
      v &&
      typeof v === 'object' &&
      typeof (v as Record<string, unknown>).email === 'string' &&
      (v as Record<string, unknown>).email
        ? {
            name: String((v as Record<string, unknown>).name ?? ''),
            email: String((v as Record<string, unknown>).email),
          }
        : undefined;
    const dates = (body.dates ?? {}) as Record<string, string | undefined>;
    const now = forge.now();
    const doer = { name: caller!.account.name, email: caller!.account.email };
    const authorId = identity(body.author) ?? identity(body.committer) ?? doer;
    const committerId = identity(body.committer) ?? authorId;
    let author: GitPerson;
    let committer: GitPerson;
    try {
      author = personAt(authorId.name, authorId.email, dates.author, now);
      committer = personAt(
        committerId.name,
        committerId.email,
        dates.committer,
        now,
      );
    } catch (e) {
      throw err(422, (e as Error).message);
    }
    let message =
      typeof body.message === 'string' && body.message
        ? body.message
        : defaultMessage;
    if (body.signoff === true)
      message = `${message.replace(/\n+$/, '')}\n\nSigned-off-by: ${
        committer.name
      } <${committer.email}>`;
    const sha = await repo.git.commitTree({
      tree,
      parents: [baseSha],
      message: message.endsWith('\n') ? message : `${message}\n`,
      author,
      committer,
    });
    try {
      await repo.git.updateRef(
        `refs/heads/${target}`,
        sha,
        newBranch ? '' : baseSha,
        'change files',
      );
    } catch {
      throw err(409, 'push out of date');
    }
    const commit = (await repo.git.commit(sha))!;
    const out: (Record<string, unknown> | null)[] = [];
    for (const f of files) {
      if (f.operation === 'delete') out.push(null);
      else {
        const c = await contentsOf(repo, sha, cleanPath(f.path)!, target, true);
        out.push(c && !Array.isArray(c) ? c : null);
      }
    }
    return {
      files: out,
      commit: shapes.fileCommit(repo, commit),
      verification: {
        verified: false,
        reason: 'gpg.error.not_signed_commit',
        signature: '',
        signer: null,
        payload: '',
      },
    };
  };

  const parseOps = (raw: unknown): FileOperation[] => {
    if (!Array.isArray(raw) || raw.length === 0)
      throw err(422, '[Files]: Required');
    return raw.map((f, i) => {
      if (typeof f !== 'object' || f === null)
        throw err(422, `[Files[${i}]]: Required`);
      const op = f as Record<string, unknown>;
      if (!['create', 'update', 'delete'].includes(String(op.operation)))
        throw err(422, `[Files[${i}].Operation]: Required`);
      if (typeof op.path !== 'string' || !op.path)
        throw err(422, `[Files[${i}].Path]: Required`);
      return {
        operation: op.operation as FileOperation['operation'],
        path: op.path,
        content: typeof op.content === 'string' ? op.content : undefined,
        sha: typeof op.sha === 'string' ? op.sha : undefined,
        from_path: typeof op.from_path === 'string' ? op.from_path : undefined,
      };
    });
  };

  const defaultFilesMessage = (files: FileOperation[]) => {
    const by = (op: string) =>
      files.filter(f => f.operation === op).map(f => f.path);
    const parts: string[] = [];
    if (by('create').length) parts.push(`Add ${by('create').join(', ')}`);
    if (by('update').length) parts.push(`Update ${by('update').join(', ')}`);
    if (by('delete').length) parts.push(`Delete ${by('delete').join(', ')}`);
    return parts.join('\n');
  };

  repoRoute(
    'POST',
    '/contents',
    async ctx => {
      const body = await readJson(ctx.req);
      const files = parseOps(body.files);
      send(
        ctx.res,
        201,
        await changeFiles(ctx, body, files, defaultFilesMessage(files)),
      );
    },
    { write: true },
  );

  const singleFile =
    (operation: FileOperation['operation'], status: number) =>
    async (ctx: Ctx) => {
      const body = await readJson(ctx.req);
      if (operation !== 'delete' && typeof body.content !== 'string')
        throw err(422, '[Content]: Required');
      if (operation !== 'create' && (typeof body.sha !== 'string' || !body.sha))
        throw err(422, '[SHA]: Required');
      const op: FileOperation = {
        operation,
        path: ctx.req.params.filepath,
        content: body.content as string | undefined,
        sha: body.sha as string | undefined,
        from_path:
          typeof body.from_path === 'string' ? body.from_path : undefined,
      };
      const verb = { create: 'Add', update: 'Update', delete: 'Delete' }[
        operation
      ];
      const result = await changeFiles(ctx, body, [op], `${verb} ${op.path}`);
      send(ctx.res, status, {
        content: result.files[0],
        commit: result.commit,
        verification: result.verification,
      });
    };
  repoRoute('POST', '/contents/*filepath', singleFile('create', 201), {
    write: true,
  });
  repoRoute('PUT', '/contents/*filepath', singleFile('update', 200), {
    write: true,
  });
  repoRoute('DELETE', '/contents/*filepath', singleFile('delete', 200), {
    write: true,
  });

  // --- pull requests ------------------------------------------------------------------------
  const pullByIndex = (repo: ForgeRepo, index: string) => {
    const p = /^\d+$/.test(index) ? pulls.get(repo, Number(index)) : undefined;
    if (!p) throw notFound();
    return p;
  };

  repoRoute('GET', '/pulls', async ctx => {
    const { req, res, repo } = ctx;
    const state = req.query.get('state') ?? 'open';
    if (!['open', 'closed', 'all'].includes(state))
      throw err(422, '[State]: In');
    const list = pulls
      .list(repo)
      .filter(p => state === 'all' || p.state === state)
      .sort((a, b) => {
        switch (req.query.get('sort')) {
          case 'oldest':
            return a.number - b.number;
          case 'recentupdate':
            return b.updatedAt.localeCompare(a.updatedAt);
          case 'leastupdate':
            return a.updatedAt.localeCompare(b.updatedAt);
          default:
            return b.number - a.number;
        }
      });
    const { limit, page } = pageOf(req);
    const out = [];
    const known = await stats(repo);
    for (const p of list.slice((page - 1) * limit, page * limit))
      out.push(await pullJson(ctx, p, known));
    send(res, 200, out, { 'x-total-count': String(list.length) });
  });

  repoRoute(
    'POST',
    '/pulls',
    async ctx => {
      const { req, res, repo, caller } = ctx;
      const body = await readJson(req);
      const head = typeof body.head === 'string' ? body.head : '';
      const base = typeof body.base === 'string' ? body.base : '';
      const title = typeof body.title === 'string' ? body.title : '';
      if (!title) throw err(422, '[Title]: Required');
      if (head === base)
        throw err(
          422,
          'Invalid PullRequest: There are no changes between the head and the base',
        );
      try {
        const pull = await pulls.create(repo, {
          title,
          body: typeof body.body === 'string' ? body.body : '',
          head,
          base,
          draft: false,
          user: caller!.account,
          allowEmpty: true,
        });
        const assignees = [
          ...(typeof body.assignee === 'string' && body.assignee
            ? [body.assignee]
            : []),
          ...(Array.isArray(body.assignees) ? body.assignees.map(String) : []),
        ];
        for (const a of assignees) {
          if (!model.account(a) || model.account(a)?.type !== 'User')
            throw err(
              422,
              `Assignee does not exist: [name: user does not exist [uid: 0, name: ${a}]]`,
            );
        }
        const saved = assignees.length
          ? await pulls.addPeople(
              repo,
              pull.number,
              'assignees',
              assignees.map(a => model.account(a)!.login),
            )
          : pull;
        send(res, 201, await pullJson(ctx, saved));
      } catch (e) {
        if (e instanceof PullError) {
          if (e.code === 'exists' && e.existing) {
            const x = e.existing;
            throw err(
              409,
              `pull request already exists for these targets [id: ${x.id}, issue_id: ${x.number}, head_repo_id: ${repo.id}, base_repo_id: ${repo.id}, head_branch: ${x.head}, base_branch: ${x.base}]`,
            );
          }
          if (e.code === 'head-missing' || e.code === 'base-missing')
            throw notFound();
          if (e.code === 'same-branch')
            throw err(
              422,
              'Invalid PullRequest: There are no changes between the head and the base',
            );
          throw err(422, e.message);
        }
        throw e;
      }
    },
    { write: true },
  );

  repoRoute('GET', '/pulls/:index', async ctx => {
    send(
      ctx.res,
      200,
      await pullJson(ctx, pullByIndex(ctx.repo, ctx.req.params.index)),
    );
  });

  repoRoute(
    'PATCH',
    '/pulls/:index',
    async ctx => {
      const { req, res, repo } = ctx;
      const pull = pullByIndex(repo, req.params.index);
      const body = await readJson(req);
      const state = typeof body.state === 'string' ? body.state : undefined;
      if (state !== undefined && state !== 'open' && state !== 'closed')
        throw err(422, '[State]: In');
      try {
        const updated = await pulls.update(repo, pull.number, {
          title:
            typeof body.title === 'string' && body.title
              ? body.title
              : undefined,
          body: typeof body.body === 'string' ? body.body : undefined,
          state: state as 'open' | 'closed' | undefined,
          base:
            typeof body.base === 'string' &&
            body.base &&
            body.base !== pull.base
              ? body.base
              : undefined,
        });
        // Gitea answers an edit with 201 (a known quirk, "TODO this should be 200").
        send(res, 201, await pullJson(ctx, updated));
      } catch (e) {
        if (e instanceof PullError) {
          if (e.code === 'merged') throw err(412, e.message);
          if (e.code === 'base-missing') throw err(404, e.message);
          if (e.code === 'exists' && e.existing) {
            const x = e.existing;
            throw err(
              409,
              `pull request already exists for these targets [id: ${x.id}, issue_id: ${x.number}, head_repo_id: ${repo.id}, base_repo_id: ${repo.id}, head_branch: ${x.head}, base_branch: ${x.base}]`,
            );
          }
          throw err(422, e.message);
        }
        throw e;
      }
    },
    { write: true },
  );

  repoRoute('GET', '/pulls/:index/merge', ({ req, res, repo }) => {
    const pull = pullByIndex(repo, req.params.index);
    if (!pull.merged) throw notFound();
    res.writeHead(204).end();
  });

  repoRoute(
    'POST',
    '/pulls/:index/merge',
    async ({ req, res, repo, caller }) => {
      const pull = pullByIndex(repo, req.params.index);
      const body = await readJson(req);
      const styles = [
        'merge',
        'rebase',
        'rebase-merge',
        'squash',
        'fast-forward-only',
        'manually-merged',
      ];
      const style = typeof body.Do === 'string' ? body.Do : '';
      if (!style) throw err(422, '[Do]: Required');
      if (!styles.includes(style)) throw err(422, '[Do]: In');
      if (pull.merged) throw err(405, '');
      if (pull.state !== 'open') throw notFound();
      try {
        await pulls.merge(repo, pull.number, {
          method: style as 'merge',
          user: caller!.account,
          title:
            typeof body.MergeTitleField === 'string'
              ? body.MergeTitleField
              : undefined,
          message:
            typeof body.MergeMessageField === 'string'
              ? body.MergeMessageField.trim() || undefined
              : undefined,
          expectedHeadSha:
            typeof body.head_commit_id === 'string' && body.head_commit_id
              ? body.head_commit_id
              : undefined,
          deleteBranch: body.delete_branch_after_merge === true,
          defaultTitle: p =>
            style === 'squash'
              ? `${p.title} (#${p.number})`
              : `Merge pull request '${p.title}' (#${p.number}) from ${p.head} into ${p.base}`,
          defaultMessage: () => '',
        });
        res.writeHead(200).end();
      } catch (e) {
        if (e instanceof PullError) {
          if (e.code === 'method-not-allowed')
            throw err(
              405,
              `${style} is not allowed an allowed merge style for this repository`,
            );
          if (e.code === 'sha-mismatch') throw err(409, 'head out of date');
          if (e.code === 'base-moved') throw err(409, 'merge push out of date');
          if (e.code === 'conflict') {
            // Gitea serialises its ErrMergeConflicts struct as it is.
            send(res, 409, {
              Style: style,
              StdOut: '',
              StdErr: e.message,
              Err: {},
            });
            return;
          }
          throw err(405, 'Please try again later');
        }
        throw e;
      }
    },
    { write: true },
  );

  // After /pulls/:index/merge, which this pattern would also match.
  repoRoute('GET', '/pulls/:base/*head', async ctx => {
    const { req, repo } = ctx;
    const head = pulls.headBranch(repo, req.params.head);
    const found = pulls
      .list(repo)
      .filter(p => p.base === req.params.base && p.head === head)
      .sort(
        (a, b) =>
          Number(b.state === 'open') - Number(a.state === 'open') ||
          b.number - a.number,
      )[0];
    if (!found) throw notFound();
    send(ctx.res, 200, await pullJson(ctx, found));
  });

  // Unknown API routes: Gitea's 404 for the API group.
  for (const m of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
    router.add(m, `${P}/*rest`, () => {
      throw notFound();
    });
  }
}

/** Gitea's path cleaning: no absolute paths, no `..`, no `.git` components. */
function cleanPath(p: string): string | undefined {
  const parts = p
    .replace(/\\/g, '/')
    .split('/')
    .filter(s => s && s !== '.');
  if (
    !parts.length ||
    parts.some(s => s === '..' || s.toLowerCase() === '.git')
  )
    return undefined;
  return parts.join('/');
}
