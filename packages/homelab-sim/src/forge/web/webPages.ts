import type { ServerResponse } from 'node:http';
import { Router, SimRequest } from '../../http/Router';
import { ForgeContext } from '../ForgeContext';
import { ForgeRepo } from '../ForgeModel';
import { isoTime } from '../git/GitRepository';
import { PullError } from '../pulls/PullService';
import { StoredPull } from '../pulls/PullStore';
import { safeReturnTo, WebSessions } from './webSession';

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    c =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[
        c
      ]!),
  );

function page(
  res: ServerResponse,
  status: number,
  title: string,
  body: string,
) {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(
    title,
  )} · demo forge</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.5 system-ui,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{background:#24292f;color:#fff;padding:10px 24px}header a{color:#fff;text-decoration:none;font-weight:600}
main{max-width:1000px;margin:24px auto;padding:0 16px}
section{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin-bottom:16px}
h1{font-size:22px}h2{font-size:15px;margin:0;padding:10px 16px;border-bottom:1px solid #d0d7de;background:#f6f8fa}
ul{list-style:none;margin:0;padding:0}li{padding:8px 16px;border-bottom:1px solid #eaeef2}li:last-child{border:0}
.muted{color:#656d76}.state{border-radius:2em;padding:2px 10px;color:#fff;font-size:12px}
.open{background:#1a7f37}.merged{background:#8250df}.closed{background:#cf222e}
pre{margin:0;padding:12px 16px;overflow:auto;font:12px/1.45 ui-monospace,monospace}
.add{background:#dafbe1}.del{background:#ffebe9}.hunk{color:#0969da}
code{font:12px ui-monospace,monospace}
form.merge{display:inline}form.merge button{background:#1a7f37;color:#fff;border:0;border-radius:6px;padding:5px 12px;font-weight:600;cursor:pointer}
</style></head><body><header><a href="/">demo forge</a> <span class="muted">· the demo homelab's Git forge</span></header>
<main>${body}</main></body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
  });
  res.end(html);
}

function stateBadge(p: StoredPull) {
  const s = p.merged ? 'merged' : p.state;
  return `<span class="state ${s}">${s}</span>`;
}

function lineClass(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---')) return '';
  if (line.startsWith('+')) return 'add';
  if (line.startsWith('-')) return 'del';
  return line.startsWith('@@') ? 'hunk' : '';
}

function diffHtml(patch: string) {
  return patch
    .split('\n')
    .map(line => {
      const cls = lineClass(line);
      return cls ? `<span class="${cls}">${esc(line)}</span>` : esc(line);
    })
    .join('\n');
}

/**
 * A small read-only web view: what a person sees when the portal links to a
 * pull request (`…/pull/<n>` GitHub style, `…/pulls/<n>` Gitea style), a
 * repository, a file or a folder. Loopback-only demo, so no sign-in.
 */
export function registerWebPages(router: Router, forge: ForgeContext) {
  const { model, pulls } = forge;
  /** Who merges from the web view: the household's first admin (a person, not a bot). */
  const reviewer = model.users.find(u => !u.bot && u.type === 'User');
  const sessions = new WebSessions(model);

  const signInForm = (returnTo: string, note = '') =>
    `<h1>Sign in to the demo forge</h1>${note}
<section><form method="post" action="/login" style="padding:16px">
<p>The household's repositories are private. Paste a forge token: the write token is in
<code>&lt;state&gt;/forge/token</code> (by default <code>.sim-state/forge/token</code>), the read-only one in <code>forge/read-token</code>.</p>
<input type="hidden" name="return_to" value="${esc(returnTo)}">
<label>Token <input name="token" type="password" autocomplete="off" size="50"></label>
<button type="submit">Sign in</button></form></section>`;

  router.get('/login', (req, res) =>
    page(
      res,
      200,
      'Sign in',
      signInForm(safeReturnTo(req.query.get('return_to'))),
    ),
  );

  router.post('/login', async (req, res) => {
    const form = new URLSearchParams((await req.body()).toString('utf8'));
    const returnTo = safeReturnTo(form.get('return_to'));
    const cookie = sessions.signIn(form.get('token') ?? '');
    if (!cookie) {
      page(
        res,
        401,
        'Sign in',
        signInForm(
          returnTo,
          '<p><b>That is not a token of this forge.</b> Check the file and try again.</p>',
        ),
      );
      return;
    }
    res.writeHead(303, { location: returnTo, 'set-cookie': cookie }).end();
  });

  router.post('/logout', (req, res) => {
    res
      .writeHead(303, { location: '/', 'set-cookie': sessions.signOut(req) })
      .end();
  });

  router.get('/', (req, res) => {
    if (!sessions.callerOf(req)) {
      page(res, 200, 'Sign in', signInForm('/'));
      return;
    }
    const repos = model.repos
      .map(r => {
        const open = pulls.list(r).filter(p => p.state === 'open').length;
        return `<li><a href="/${esc(r.fullName)}"><b>${esc(
          r.fullName,
        )}</b></a> <span class="muted">${esc(
          r.layout,
        )} layout · ${open} open pull request${
          open === 1 ? '' : 's'
        }</span><br><span class="muted">${esc(r.description)}</span></li>`;
      })
      .join('');
    const all = pulls
      .all()
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, 50)
      .map(
        p =>
          `<li>${stateBadge(p)} <a href="/${esc(p.repo)}/pull/${
            p.number
          }">${esc(p.title)}</a> <span class="muted">${esc(p.repo)}#${
            p.number
          } · ${esc(p.head)} → ${esc(p.base)} · by ${esc(p.user)} · ${esc(
            p.createdAt,
          )}</span></li>`,
      )
      .join('');
    page(
      res,
      200,
      'Repositories',
      `<h1>Repositories</h1><section><ul>${repos}</ul></section>
<section><h2>Pull requests</h2><ul>${
        all ||
        '<li class="muted">No pull requests yet. The portal\'s templates open them here.</li>'
      }</ul></section>
<p class="muted">APIs: GitHub REST at <code>/api/v3</code> and GraphQL at <code>/api/graphql</code>, Gitea at <code>/api/v1</code>; clone over HTTPS with the token from <code>&lt;state&gt;/forge/token</code>.</p>`,
    );
  });

  /** The repository, if it exists and the visitor is signed in (GitHub's 404 for private repositories otherwise). */
  const repoOr404 = (
    req: SimRequest,
    res: ServerResponse,
  ): ForgeRepo | undefined => {
    if (!sessions.callerOf(req)) {
      page(
        res,
        404,
        'Not found',
        `<h1>Not found</h1><p>This page does not exist, or it belongs to a private repository. <a href="/login?return_to=${encodeURIComponent(
          req.pathname,
        )}">Sign in</a> to see the household's repositories.</p>`,
      );
      return undefined;
    }
    const repo = model.repo(req.params.owner, req.params.repo);
    if (!repo)
      page(
        res,
        404,
        'Not found',
        `<h1>Not found</h1><p>No repository ${esc(
          `${req.params.owner}/${req.params.repo}`,
        )}. <a href="/">All repositories</a></p>`,
      );
    return repo;
  };

  router.get('/:owner/:repo', async (req, res) => {
    const repo = repoOr404(req, res);
    if (!repo) return;
    const branches = await repo.git.refs('refs/heads/');
    const commits = await repo.git.log(repo.defaultBranch, { max: 15 });
    const prs = pulls.list(repo).sort((a, b) => b.number - a.number);
    page(
      res,
      200,
      repo.fullName,
      `<h1>${esc(repo.fullName)}</h1><p class="muted">${esc(
        repo.description,
      )} · clone <code>${esc(model.baseUrl)}/${esc(
        repo.fullName,
      )}.git</code> · <a href="/${esc(repo.fullName)}/tree/${esc(
        repo.defaultBranch,
      )}">browse files</a></p>
<section><h2>Pull requests</h2><ul>${
        prs
          .map(
            p =>
              `<li>${stateBadge(p)} <a href="/${esc(repo.fullName)}/pull/${
                p.number
              }">#${p.number} ${esc(p.title)}</a> <span class="muted">${esc(
                p.head,
              )} → ${esc(p.base)}</span></li>`,
          )
          .join('') || '<li class="muted">None yet.</li>'
      }</ul></section>
<section><h2>Branches</h2><ul>${branches
        .map(b => {
          const name = b.ref.slice(11);
          return `<li><a href="/${esc(repo.fullName)}/tree/${esc(name)}">${esc(
            name,
          )}</a> <code class="muted">${b.sha.slice(0, 7)}</code></li>`;
        })
        .join('')}</ul></section>
<section><h2>Recent commits on ${esc(repo.defaultBranch)}</h2><ul>${commits
        .map(
          c =>
            `<li>${esc(c.message.split('\n')[0])} <span class="muted">· ${esc(
              c.author.name,
            )} · ${esc(isoTime(c.author))} · <code>${c.sha.slice(
              0,
              7,
            )}</code></span></li>`,
        )
        .join('')}</ul></section>`,
    );
  });

  const pullPage = async (req: SimRequest, res: ServerResponse) => {
    const repo = repoOr404(req, res);
    if (!repo) return;
    const n = req.params.number.replace(/\.(diff|patch)$/, '');
    const stored = /^\d+$/.test(n) ? pulls.get(repo, Number(n)) : undefined;
    if (!stored) {
      page(
        res,
        404,
        'Not found',
        `<h1>Not found</h1><p>No pull request #${esc(n)} in ${esc(
          repo.fullName,
        )}.</p>`,
      );
      return;
    }
    const view = await pulls.view(repo, stored);
    const patch =
      view.mergeBase && view.headSha
        ? await repo.git.diffPatch(view.mergeBase, view.headSha)
        : '';
    if (/\.patch$/.test(req.params.number) && view.mergeBase) {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(await repo.git.formatPatch(view.mergeBase, view.headSha));
      return;
    }
    if (/\.diff$/.test(req.params.number)) {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(patch);
      return;
    }
    let mergeNote = '';
    if (view.merged)
      mergeNote = ` · merged by ${esc(view.mergedBy ?? '')} as <code>${esc(
        (view.mergeCommitSha ?? '').slice(0, 7),
      )}</code>`;
    else if (view.mergeable === false) mergeNote = ' · <b>has conflicts</b>';
    else if (view.state === 'open' && reviewer)
      // The demo's stand-in for a review: one click merges as a household admin.
      mergeNote = ` · <form class="merge" method="post" action="/${esc(
        repo.fullName,
      )}/pull/${
        view.number
      }/merge"><button type="submit">Merge pull request</button></form> <span class="muted">as ${esc(
        reviewer.name,
      )}</span>`;
    page(
      res,
      200,
      `${view.title} #${view.number}`,
      `<h1>${esc(view.title)} <span class="muted">#${view.number}</span></h1>
<p>${stateBadge(view)} <b>${esc(view.user)}</b> wants to merge ${
        view.commits
      } commit${view.commits === 1 ? '' : 's'} into <code>${esc(
        view.base,
      )}</code> from <code>${esc(view.head)}</code>
${mergeNote}</p>
${view.body ? `<section><pre>${esc(view.body)}</pre></section>` : ''}
<section><h2>${view.files.length} file${
        view.files.length === 1 ? '' : 's'
      } changed (+${view.additions} −${view.deletions})</h2><ul>${view.files
        .map(
          f =>
            `<li><code>${esc(f.status)}</code> <a href="/${esc(
              repo.fullName,
            )}/blob/${esc(view.headSha)}/${esc(f.path)}">${esc(
              f.path,
            )}</a> <span class="muted">+${f.additions} −${
              f.deletions
            }</span></li>`,
        )
        .join('')}</ul></section>
<section><h2>Diff</h2><pre>${diffHtml(patch)}</pre></section>`,
    );
  };
  router.post('/:owner/:repo/pull/:number/merge', async (req, res) => {
    const repo = repoOr404(req, res);
    if (!repo) return;
    if (sessions.callerOf(req)?.scope !== 'write') {
      page(
        res,
        403,
        'Not allowed',
        '<h1>Not allowed</h1><p>Merging needs the write token: sign out and sign in with <code>forge/token</code>.</p>',
      );
      return;
    }
    const number = Number(req.params.number);
    if (!reviewer || !Number.isInteger(number)) {
      page(res, 404, 'Not found', '<h1>Not found</h1>');
      return;
    }
    try {
      await pulls.merge(repo, number, {
        method: 'merge',
        user: reviewer,
        defaultTitle: p =>
          `Merge pull request #${p.number} from ${repo.owner.login}/${p.head}`,
        defaultMessage: p => p.title,
      });
    } catch (error) {
      if (!(error instanceof PullError)) throw error;
      page(
        res,
        409,
        'Not merged',
        `<h1>Not merged</h1><p>${esc(error.message)}</p><p><a href="/${esc(
          repo.fullName,
        )}/pull/${number}">Back to the pull request</a></p>`,
      );
      return;
    }
    res.writeHead(303, { location: `/${repo.fullName}/pull/${number}` }).end();
  });
  router.get('/:owner/:repo/pull/:number', pullPage);
  router.get('/:owner/:repo/pulls/:number', pullPage);

  const browse = async (
    req: SimRequest,
    res: ServerResponse,
    ref: string,
    filePath: string,
  ) => {
    const repo = repoOr404(req, res);
    if (!repo) return;
    const sha = await repo.git.resolveCommit(ref);
    const entry = sha ? await repo.git.entryAt(sha, filePath) : undefined;
    if (!sha || !entry) {
      page(
        res,
        404,
        'Not found',
        `<h1>Not found</h1><p>${esc(filePath || '/')} does not exist at ${esc(
          ref,
        )}.</p>`,
      );
      return;
    }
    const crumbs = `<a href="/${esc(repo.fullName)}">${esc(
      repo.fullName,
    )}</a> @ <code>${esc(ref)}</code> / ${esc(filePath)}`;
    if (entry.type === 'tree') {
      const items = await repo.git.lsTree(entry.sha);
      items.sort(
        (a, b) =>
          Number(b.type === 'tree') - Number(a.type === 'tree') ||
          a.path.localeCompare(b.path),
      );
      page(
        res,
        200,
        filePath || repo.fullName,
        `<h1>${crumbs}</h1><section><ul>${items
          .map(i => {
            const p = filePath ? `${filePath}/${i.path}` : i.path;
            return `<li>${i.type === 'tree' ? '📁' : '📄'} <a href="/${esc(
              repo.fullName,
            )}/${i.type === 'tree' ? 'tree' : 'blob'}/${esc(ref)}/${esc(
              p,
            )}">${esc(i.path)}</a></li>`;
          })
          .join('')}</ul></section>`,
      );
      return;
    }
    const blob = await repo.git.readBlob(entry.sha);
    page(
      res,
      200,
      filePath,
      `<h1>${crumbs}</h1><section><pre>${esc(
        blob.toString('utf8'),
      )}</pre></section>`,
    );
  };

  /** Refs may contain slashes; take the longest prefix that names a commit. */
  const splitRefPath = async (repo: ForgeRepo, rest: string) => {
    const parts = rest.split('/');
    for (let i = parts.length; i >= 1; i--) {
      const ref = parts.slice(0, i).join('/');
      if (await repo.git.resolveCommit(ref))
        return { ref, path: parts.slice(i).join('/') };
    }
    return { ref: parts[0], path: parts.slice(1).join('/') };
  };

  for (const kind of ['tree', 'blob', 'src/branch', 'src/commit', 'src/tag']) {
    router.get(`/:owner/:repo/${kind}/*rest`, async (req, res) => {
      const repo = model.repo(req.params.owner, req.params.repo);
      const { ref, path } = repo
        ? await splitRefPath(repo, req.params.rest)
        : { ref: '', path: '' };
      await browse(req, res, ref, path);
    });
  }

  for (const kind of ['raw/branch', 'raw/commit', 'raw']) {
    router.get(`/:owner/:repo/${kind}/*rest`, async (req, res) => {
      const repo = repoOr404(req, res);
      if (!repo) return;
      const { ref, path } = await splitRefPath(repo, req.params.rest);
      const sha = await repo.git.resolveCommit(ref);
      const entry = sha ? await repo.git.entryAt(sha, path) : undefined;
      if (!entry || entry.type !== 'blob') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
        return;
      }
      const blob = await repo.git.readBlob(entry.sha);
      res.writeHead(200, {
        'content-type': 'text/plain; charset=utf-8',
        'content-length': blob.length,
      });
      res.end(blob);
    });
  }
}
