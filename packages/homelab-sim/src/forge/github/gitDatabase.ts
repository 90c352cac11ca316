import { ForgeRepo } from '../ForgeModel';
import { personAt, TreeChange, TreeEditError } from '../git/GitRepository';
import { githubError, notFound } from './errors';
import { GithubRoutes } from './GithubRoutes';
import { field, readJson, send } from './http';
import { wrapBase64 } from './shapes';

/**
 * The git database: references, blobs, trees and commit objects, written
 * as real objects in the bare repository (what the upstream
 * `publish:github:pull-request` action builds a commit with).
 */
export function registerGitDatabase(gh: GithubRoutes) {
  const { forge, shapes } = gh;

  // --- git database: refs ----------------------------------------------------
  const refJson = async (repo: ForgeRepo, ref: string, sha: string) =>
    shapes.gitRef(repo, ref, sha, (await repo.git.objectType(sha)) ?? 'commit');

  gh.repoRoute(
    'GET',
    '/git/ref/*ref',
    { docs: 'rest/git/refs#get-a-reference' },
    async ({ req, res, repo }) => {
      const full = `refs/${req.params.ref}`;
      const found = (await repo.git.refs(full)).find(r => r.ref === full);
      if (!found) throw notFound('rest/git/refs#get-a-reference');
      send(res, 200, shapes.gitRef(repo, found.ref, found.sha, found.type));
    },
  );

  gh.repoRoute(
    'GET',
    '/git/matching-refs/*ref',
    { docs: 'rest/git/refs#list-matching-references' },
    async ({ req, res, repo }) => {
      const prefix = `refs/${req.params.ref}`;
      const all = (await repo.git.refs('refs/')).filter(r =>
        r.ref.startsWith(prefix),
      );
      send(
        res,
        200,
        all.map(r => shapes.gitRef(repo, r.ref, r.sha, r.type)),
      );
    },
  );

  gh.repoRoute(
    'GET',
    '/git/refs',
    { docs: 'rest/git/refs#list-matching-references' },
    async ({ res, repo }) => {
      const all = await repo.git.refs('refs/');
      send(
        res,
        200,
        all.map(r => shapes.gitRef(repo, r.ref, r.sha, r.type)),
      );
    },
  );

  gh.repoRoute(
    'GET',
    '/git/refs/*ref',
    { docs: 'rest/git/refs#get-a-reference' },
    async ({ req, res, repo }) => {
      const full = `refs/${req.params.ref}`;
      const all = (await repo.git.refs('refs/')).filter(r =>
        r.ref.startsWith(full),
      );
      const exact = all.find(r => r.ref === full);
      if (exact)
        send(res, 200, shapes.gitRef(repo, exact.ref, exact.sha, exact.type));
      else if (all.length)
        send(
          res,
          200,
          all.map(r => shapes.gitRef(repo, r.ref, r.sha, r.type)),
        );
      else throw notFound('rest/git/refs#get-a-reference');
    },
  );

  gh.repoRoute(
    'POST',
    '/git/refs',
    { write: true, docs: 'rest/git/refs#create-a-reference' },
    async ({ req, res, repo }) => {
      const docs = 'rest/git/refs#create-a-reference';
      const body = await readJson(req, docs);
      const ref = field<string>(body, 'ref', 'string', docs, true)!;
      const sha = field<string>(body, 'sha', 'string', docs, true)!;
      if (
        !ref.startsWith('refs/') ||
        ref.split('/').length < 3 ||
        !(await repo.git.isValidRefName(ref))
      )
        throw githubError(422, 'Reference update failed', docs);
      const type = await repo.git.objectType(sha);
      if (!type || sha.length !== 40)
        throw githubError(422, 'Object does not exist', docs);
      if (await repo.git.refSha(ref))
        throw githubError(422, 'Reference already exists', docs);
      try {
        await repo.git.updateRef(ref, sha, '', 'create reference');
      } catch {
        throw githubError(422, 'Reference already exists', docs);
      }
      const json = shapes.gitRef(repo, ref, sha, type);
      send(res, 201, json, { location: json.url });
    },
  );

  gh.repoRoute(
    'PATCH',
    '/git/refs/*ref',
    { write: true, docs: 'rest/git/refs#update-a-reference' },
    async ({ req, res, repo }) => {
      const docs = 'rest/git/refs#update-a-reference';
      const body = await readJson(req, docs);
      const sha = field<string>(body, 'sha', 'string', docs, true)!;
      const force = field<boolean>(body, 'force', 'boolean', docs) ?? false;
      const ref = `refs/${req.params.ref}`;
      const current = await repo.git.refSha(ref);
      if (!current || !(await repo.git.refs(ref)).some(r => r.ref === ref))
        throw githubError(422, 'Reference does not exist', docs);
      if ((await repo.git.objectType(sha)) !== 'commit' || sha.length !== 40)
        throw githubError(422, 'Object does not exist', docs);
      if (!force && !(await repo.git.isAncestor(current, sha)))
        throw githubError(422, 'Update is not a fast forward', docs);
      try {
        await repo.git.updateRef(
          ref,
          sha,
          current,
          force ? 'forced update' : 'update',
        );
      } catch {
        throw githubError(422, 'Reference cannot be updated', docs);
      }
      send(res, 200, await refJson(repo, ref, sha));
    },
  );

  gh.repoRoute(
    'DELETE',
    '/git/refs/*ref',
    { write: true, docs: 'rest/git/refs#delete-a-reference' },
    async ({ req, res, repo }) => {
      const ref = `refs/${req.params.ref}`;
      if (!(await repo.git.refs(ref)).some(r => r.ref === ref))
        throw githubError(
          422,
          'Reference does not exist',
          'rest/git/refs#delete-a-reference',
        );
      await repo.git.deleteRef(ref);
      res.writeHead(204).end();
    },
  );

  // --- git database: objects -------------------------------------------------
  gh.repoRoute(
    'POST',
    '/git/blobs',
    { write: true, docs: 'rest/git/blobs#create-a-blob' },
    async ({ req, res, repo }) => {
      const docs = 'rest/git/blobs#create-a-blob';
      const body = await readJson(req, docs);
      const content = field<string>(body, 'content', 'string', docs, true)!;
      const encoding =
        field<string>(body, 'encoding', 'string', docs) ?? 'utf-8';
      if (encoding !== 'utf-8' && encoding !== 'base64')
        throw githubError(422, `encoding must be one of: utf-8, base64`, docs);
      const sha = await repo.git.writeBlob(
        Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8'),
      );
      const url = `${shapes.api}/repos/${repo.fullName}/git/blobs/${sha}`;
      send(res, 201, { sha, url }, { location: url });
    },
  );

  gh.repoRoute(
    'GET',
    '/git/blobs/:sha',
    { docs: 'rest/git/blobs#get-a-blob' },
    async ({ req, res, repo }) => {
      const sha = req.params.sha;
      if ((await repo.git.objectType(sha)) !== 'blob')
        throw notFound('rest/git/blobs#get-a-blob');
      const content = await repo.git.readBlob(sha);
      send(res, 200, {
        sha,
        node_id: Buffer.from(`04:Blob${repo.id}:${sha}`).toString('base64'),
        size: content.length,
        url: `${shapes.api}/repos/${repo.fullName}/git/blobs/${sha}`,
        content: wrapBase64(content),
        encoding: 'base64',
      });
    },
  );

  gh.repoRoute(
    'POST',
    '/git/trees',
    { write: true, docs: 'rest/git/trees#create-a-tree' },
    async ({ req, res, repo }) => {
      const docs = 'rest/git/trees#create-a-tree';
      const body = await readJson(req, docs);
      const tree = field<Record<string, unknown>[]>(
        body,
        'tree',
        'array',
        docs,
        true,
      )!;
      const baseTree = field<string>(body, 'base_tree', 'string', docs);
      if (baseTree && (await repo.git.objectType(baseTree)) !== 'tree')
        throw githubError(422, 'GitRPC::BadObjectState', docs);
      const changes: TreeChange[] = [];
      for (const item of tree) {
        const itemPath = typeof item.path === 'string' ? item.path : '';
        const mode = typeof item.mode === 'string' ? item.mode : '';
        const type =
          typeof item.type === 'string'
            ? (item.type as TreeChange['type'])
            : undefined;
        const hasContent = typeof item.content === 'string';
        if (hasContent && item.sha !== undefined && item.sha !== null)
          throw githubError(
            422,
            'Must supply either tree.sha or tree.content. Request will be rejected if both are present.',
            docs,
          );
        let sha: string | null;
        if (hasContent)
          sha = await repo.git.writeBlob(
            Buffer.from(item.content as string, 'utf8'),
          );
        else if (item.sha === null) sha = null;
        else if (typeof item.sha === 'string') sha = item.sha;
        else
          throw githubError(
            422,
            'Must supply either tree.sha or tree.content. Request will be rejected if both are present.',
            docs,
          );
        changes.push({ path: itemPath, mode, type, sha });
      }
      let sha: string;
      try {
        sha = await repo.git.editTree(baseTree, changes);
      } catch (error) {
        if (error instanceof TreeEditError) {
          if (error.reason === 'bad-path')
            throw githubError(
              422,
              'tree.path contains a malformed path component',
              docs,
            );
          if (error.reason === 'bad-mode')
            throw githubError(
              422,
              `tree.mode must be one of 100644, 100755, 040000, 160000, 120000 (path ${error.path})`,
              docs,
            );
          throw githubError(422, 'GitRPC::BadObjectState', docs);
        }
        throw error;
      }
      const json = shapes.gitTree(repo, sha, await repo.git.lsTree(sha));
      send(res, 201, json, { location: json.url });
    },
  );

  gh.repoRoute(
    'GET',
    '/git/trees/*sha',
    { docs: 'rest/git/trees#get-a-tree' },
    async ({ req, res, repo }) => {
      const docs = 'rest/git/trees#get-a-tree';
      const given = req.params.sha;
      let sha: string | undefined;
      if ((await repo.git.objectType(given)) === 'tree')
        sha = (await repo.git.git(['rev-parse', given])).toString().trim();
      else {
        const commit = await repo.git.resolveCommit(given);
        sha = commit ? (await repo.git.commit(commit))?.tree : undefined;
      }
      if (!sha) throw notFound(docs);
      const recursive = !!req.query.get('recursive');
      send(
        res,
        200,
        shapes.gitTree(repo, sha, await repo.git.lsTree(sha, { recursive })),
      );
    },
  );

  gh.repoRoute(
    'POST',
    '/git/commits',
    { write: true, docs: 'rest/git/commits#create-a-commit' },
    async ({ req, res, repo, caller }) => {
      const docs = 'rest/git/commits#create-a-commit';
      const body = await readJson(req, docs);
      const message = field<string>(body, 'message', 'string', docs, true)!;
      const tree = field<string>(body, 'tree', 'string', docs, true)!;
      const parents = field<unknown[]>(body, 'parents', 'array', docs) ?? [];
      const author = field<Record<string, string>>(
        body,
        'author',
        'object',
        docs,
      );
      const committer = field<Record<string, string>>(
        body,
        'committer',
        'object',
        docs,
      );
      if ((await repo.git.objectType(tree)) !== 'tree' || tree.length !== 40)
        throw githubError(422, 'Tree SHA does not exist', docs);
      for (const p of parents) {
        if (
          typeof p !== 'string' ||
          p.length !== 40 ||
          (await repo.git.objectType(p)) !== 'commit'
        )
          throw githubError(
            422,
            'Parent SHA does not exist or is not a commit object',
            docs,
          );
      }
      const now = forge.now();
      const person = (
        given: Record<string, string> | undefined,
        fallback?: ReturnType<typeof personAt>,
      ) => {
        if (!given)
          return (
            fallback ??
            personAt(
              caller!.account.name,
              caller!.account.email,
              undefined,
              now,
            )
          );
        if (typeof given.name !== 'string' || typeof given.email !== 'string')
          throw githubError(
            422,
            'Invalid request.\n\n"name", "email" weren\'t supplied.',
            docs,
          );
        try {
          return personAt(given.name, given.email, given.date, now);
        } catch {
          throw githubError(
            422,
            `Invalid request.\n\n${JSON.stringify(
              given.date,
            )} is not a valid date-time.`,
            docs,
          );
        }
      };
      const a = person(author);
      const c = person(committer, author ? a : undefined);
      const sha = await repo.git.commitTree({
        tree,
        parents: parents as string[],
        // GitHub stores the message as given; git adds the final newline.
        message: message.endsWith('\n') ? message : `${message}\n`,
        author: a,
        committer: c,
      });
      const json = shapes.gitCommit(repo, (await repo.git.commit(sha))!);
      send(res, 201, json, { location: json.url });
    },
  );

  gh.repoRoute(
    'GET',
    '/git/commits/:sha',
    { docs: 'rest/git/commits#get-a-commit-object' },
    async ({ req, res, repo }) => {
      const c = await repo.git.commit(req.params.sha);
      if (!c || req.params.sha.length !== 40)
        throw notFound('rest/git/commits#get-a-commit-object');
      send(res, 200, shapes.gitCommit(repo, c));
    },
  );
}
