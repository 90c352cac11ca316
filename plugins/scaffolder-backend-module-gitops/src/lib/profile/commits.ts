import { Convention, Tally } from './tally';

/** One commit of the repository's history (newest first). */
export type CommitInfo = {
  message: string;
  author: { name: string; email: string };
};

/** How the repository's people write commit messages. */
export type CommitConvention = {
  /** `type(scope): subject` (Conventional Commits) or plain sentences */
  style: Convention<'conventional' | 'plain'>;
  /** what conventional messages name as their scope: the app, its folder (category), or nothing */
  scope: 'app' | 'folder' | 'none';
  /** whether subjects start with a capital letter */
  capitalized: boolean;
  /** how an app's arrival is written, with `<app>` / `<App>` for the app */
  addApp?: Convention<string>;
};

const CONVENTIONAL = /^([a-z]+)(?:\(([^)]+)\))?(!)?: (.+)$/;

/** Commits a program made: Renovate, Dependabot, CI, merges. */
function byPeople(c: CommitInfo): boolean {
  const who = `${c.author.name} ${c.author.email}`;
  if (/\[bot\]|renovate|dependabot|github-actions|forgejo-actions/i.test(who))
    return false;
  const subject = c.message.split('\n')[0];
  return !/^Merge (pull request|branch|remote-tracking)/.test(subject);
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The subject with the app's name (and its capitalized form) as placeholders. */
function appTemplate(subject: string, app: string): string {
  const escaped = app.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return subject
    .replace(new RegExp(`\\(${escaped}\\)`), '(<app>)')
    .replace(new RegExp(`\\b${escaped}\\b`, 'g'), '<app>')
    .replace(new RegExp(`\\b${escaped}\\b`, 'gi'), '<App>');
}

/**
 * The commit-message convention of the history: style by majority of the
 * people's commits, and the form most app arrivals took (a subject naming
 * an app of the repository, in the words "deploy", "add" or "install").
 */
export function commitConvention(
  history: CommitInfo[],
  appNames: string[],
  folderNames: string[] = [],
): CommitConvention {
  const subjects = history.filter(byPeople).map(c => c.message.split('\n')[0]);
  const style = new Tally<'conventional' | 'plain'>(
    subjects.map(s => (CONVENTIONAL.test(s) ? 'conventional' : 'plain')),
  ).mostCommon('commits by people') ?? {
    value: 'conventional',
    count: 0,
    total: 0,
    of: 'commits by people',
  };
  const parsed = subjects
    .map(s => CONVENTIONAL.exec(s))
    .filter((m): m is RegExpExecArray => !!m);
  const scopes = parsed.map(m => m[2]).filter(Boolean);
  const byApp = scopes.filter(s => appNames.includes(s)).length;
  const byFolder = scopes.filter(
    s => folderNames.includes(s) && !appNames.includes(s),
  ).length;
  let scope: CommitConvention['scope'] = 'none';
  if (scopes.length * 2 > parsed.length)
    scope = byFolder > byApp ? 'folder' : 'app';
  const bodies =
    style.value === 'conventional' ? parsed.map(m => m[4]) : subjects;
  const capitalized =
    bodies.filter(b => /^[A-Z]/.test(b)).length * 2 > bodies.length;
  const names = new Set(appNames);
  const arrivals = new Tally<string>();
  for (const s of subjects) {
    const app = [...names]
      .filter(n =>
        new RegExp(
          `\\b${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`,
          'i',
        ).test(s),
      )
      .sort((a, b) => b.length - a.length)[0];
    if (!app) continue;
    const template = appTemplate(s, app);
    const m = CONVENTIONAL.exec(template);
    // A feature of that app (its scope), or a plain sentence about it.
    const otherScope =
      m?.[2] !== undefined && m[2] !== '<app>' && !folderNames.includes(m[2]);
    if (m && (m[1] !== 'feat' || otherScope)) continue;
    const body = m ? m[4] : template;
    if (!/^(deploy|add|install|introduce)/i.test(body)) continue;
    // The verb and the app, not the rest ("… with Helm chart" was that app's story).
    const words = body.split(' ');
    const last = words.findLastIndex(w => /<app>|<App>/.test(w));
    const kept = words.slice(0, Math.max(last, 0) + 1).join(' ');
    arrivals.add(
      m ? template.slice(0, template.length - body.length) + kept : kept,
    );
  }
  return {
    style,
    scope,
    capitalized,
    addApp: arrivals.mostCommon('app arrivals in the history'),
  };
}

export type ChangeKind = (
  | { kind: 'add-app'; title: string }
  | { kind: 'add-secret'; secret: string; store?: string }
  | { kind: 'add-route'; hostname: string }
) & {
  app: string;
  /** the app's folder (category or namespace folder), for repositories that scope by it */
  folder?: string;
};

/** The first line of the commit (and the pull request title) in the repository's words. */
export function commitSubject(
  convention: CommitConvention,
  change: ChangeKind,
): string {
  if (change.kind === 'add-app' && convention.addApp) {
    return convention.addApp.value
      .split('<app>')
      .join(change.app)
      .split('<App>')
      .join(change.title);
  }
  const sentence = (() => {
    switch (change.kind) {
      case 'add-app':
        return `add ${change.title}`;
      case 'add-secret':
        return change.store
          ? `add ExternalSecret ${change.secret} from ${change.store}`
          : `add sealed secret ${change.secret}`;
      default:
        return `expose at ${change.hostname}`;
    }
  })();
  const subject = convention.capitalized ? capital(sentence) : sentence;
  if (convention.style.value === 'conventional') {
    let scope = '';
    if (convention.scope === 'app') scope = `(${change.app})`;
    else if (convention.scope === 'folder' && change.folder)
      scope = `(${change.folder})`;
    return `feat${scope}: ${subject}`;
  }
  const plain =
    change.kind === 'add-app' ? subject : `${subject} (${change.app})`;
  return convention.capitalized ? capital(plain) : plain;
}
