import { toError } from '@backstage/errors';
import {
  GitPerson,
  personAt,
  TreeChange,
  TreeEditError,
} from '../git/GitRepository';
import { Ctx, GiteaRoutes, send } from './GiteaRoutes';

type FileOperation = {
  operation: 'create' | 'update' | 'delete';
  path: string;
  content?: string;
  sha?: string;
  from_path?: string;
};

/**
 * Writing files: ChangeFiles (several operations, one commit, optionally on
 * a new branch) and the single-file create, update and delete.
 */
export function registerFiles(g: GiteaRoutes) {
  const { forge, shapes, err, readJson, repoRoute, contentsOf } = g;

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
      throw err(422, toError(e).message);
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
