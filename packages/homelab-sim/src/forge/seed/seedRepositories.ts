import fs from 'node:fs';
import { hashUnit } from '../../random';
import { Scenario } from '../../scenario/schema';
import { ForgeModel, ForgeRepo } from '../ForgeModel';
import { GitRepository } from '../git/GitRepository';
import { FastImport } from '../git/FastImport';
import { ArgoLayout } from './argoLayout';
import { FluxLayout } from './fluxLayout';
import { repositoryEntity } from './repositoryEntity';
import {
  GitopsApp,
  householdApps,
  previousPatch,
  splitImage,
} from './householdApps';

type Person = { name: string; email: string };

export type SeedCommit = {
  author: Person;
  /** Seconds since the epoch. */
  time: number;
  message: string;
  /** Path → new content; null deletes. */
  files: Record<string, string | null>;
};

const RENOVATE: Person = {
  name: 'renovate[bot]',
  email: '29139614+renovate[bot]@users.noreply.github.com',
};

/** History starts here: fixed, so the same scenario always gives the same commit ids. */
const HISTORY_START = Date.UTC(2025, 5, 1) / 1000;

/** `+0200` for a zone at a moment (git's offset format). */
function offset(timeZone: string, seconds: number): string {
  const name = new Intl.DateTimeFormat('en-US', {
    timeZone,
    timeZoneName: 'longOffset',
  })
    .formatToParts(new Date(seconds * 1000))
    .find(p => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  return m ? `${m[1]}${m[2]}${m[3]}` : '+0000';
}

/**
 * The history of a seeded repository: a bootstrap commit, one commit per app
 * in the repo's own commit style, and a few Renovate image bumps (the app
 * was deployed one patch release earlier), spread over the summer.
 */
export function seedHistory(
  scenario: Scenario,
  repo: { name: string; layout: 'flux' | 'argocd'; description?: string },
): SeedCommit[] {
  const people: Person[] = scenario.forge.users
    .filter(u => !u.bot)
    .map(u => ({ name: u.name, email: u.email }));
  if (!people.length)
    people.push({
      name: 'Home Admin',
      email: `admin@${scenario.household.domain}`,
    });
  const apps = householdApps(scenario);
  let day = 0;
  const tick = (key: string) => {
    // One to four days later, in the evening (16:00-21:00 UTC); bots any time.
    day +=
      1 + Math.floor(3 * hashUnit(scenario.seed, `${repo.name}:${key}:day`));
    const bot = key.startsWith('renovate:');
    const hour = bot
      ? 24 * hashUnit(scenario.seed, `${repo.name}:${key}:hour`)
      : 16 + 5 * hashUnit(scenario.seed, `${repo.name}:${key}:hour`);
    return HISTORY_START + day * 86400 + Math.floor(hour * 3600);
  };
  const who = (key: string) =>
    people[
      Math.floor(
        hashUnit(scenario.seed, `${repo.name}:${key}:who`) * people.length,
      )
    ];

  // Apps whose first deployment used the previous patch release; Renovate bumps them later.
  const bumped = new Map<string, Record<string, string>>();
  for (const app of apps) {
    if (hashUnit(scenario.seed, `bump:${app.name}`) >= 0.35) continue;
    const w = app.workloads[0];
    const prev = previousPatch(splitImage(w.image).tag);
    if (prev) bumped.set(app.name, { [w.name]: prev });
  }

  const commits: SeedCommit[] = [];
  if (repo.layout === 'flux') {
    const flux = new FluxLayout(scenario);
    commits.push({
      author: people[0],
      time: tick('bootstrap'),
      message: 'chore: bootstrap flux cluster layout',
      files: {
        ...flux.baseFiles(repo.name),
        'catalog-info.yaml': repositoryEntity(repo),
      },
    });
    const perNamespace = new Map<string, string[]>();
    for (const app of apps) {
      const list = [...(perNamespace.get(app.namespace) ?? []), app.name];
      perNamespace.set(app.namespace, list);
      commits.push({
        author: who(app.name),
        time: tick(app.name),
        message: `feat(${app.name}): Deploy`,
        files: {
          ...flux.appFiles(app, bumped.get(app.name)),
          [`kubernetes/apps/${app.namespace}/kustomization.yaml`]:
            flux.namespaceKustomization(app.namespace, list),
        },
      });
    }
    for (const app of apps.filter(a => bumped.has(a.name))) {
      commits.push(
        renovateBump(
          app,
          bumped.get(app.name)!,
          tick(`renovate:${app.name}`),
          flux.appFiles(app),
        ),
      );
    }
  } else {
    const argo = new ArgoLayout(scenario, repo.name);
    commits.push({
      author: people[0],
      time: tick('bootstrap'),
      message: 'chore: argo cd app-of-apps',
      files: {
        ...argo.baseFiles(),
        'catalog-info.yaml': repositoryEntity(repo),
      },
    });
    const seen = new Set<string>();
    for (const app of apps) {
      const files = argo.appFiles(app, bumped.get(app.name));
      if (!seen.has(app.namespace)) {
        seen.add(app.namespace);
        Object.assign(
          files,
          argo.categoryFiles(app.namespace, [app.namespace]),
        );
      }
      commits.push({
        author: who(app.name),
        time: tick(app.name),
        message: `feat(${app.name}): add ${app.name}`,
        files,
      });
    }
    for (const app of apps.filter(a => bumped.has(a.name))) {
      commits.push(
        renovateBump(
          app,
          bumped.get(app.name)!,
          tick(`renovate:${app.name}`),
          argo.appFiles(app),
        ),
      );
    }
  }
  return commits;
}

function renovateBump(
  app: GitopsApp,
  old: Record<string, string>,
  time: number,
  current: Record<string, string>,
): SeedCommit {
  const w = app.workloads.find(x => old[x.name])!;
  const { repository, tag } = splitImage(w.image);
  return {
    author: RENOVATE,
    time,
    // Home Operations' semantic Renovate titles (notes §3.4).
    message: `fix(container): update image ${repository} ( ${
      old[w.name]
    } ➔ ${tag} )`,
    files: current,
  };
}

/** Writes the history with one `git fast-import` run: real commits, fast. */
export async function importHistory(
  git: GitRepository,
  branch: string,
  commits: SeedCommit[],
  timeZone: string,
) {
  const stream = new FastImport();
  const previous = new Map<string, string>();
  commits.forEach((c, i) => {
    stream.commit({
      ref: `refs/heads/${branch}`,
      mark: i + 1,
      who: `${c.author.name} <${c.author.email}> ${c.time} ${offset(
        timeZone,
        c.time,
      )}`,
      message: `${c.message}\n`,
    });
    for (const [path, content] of Object.entries(c.files).sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      if (content === null) {
        stream.remove(path);
        previous.delete(path);
        continue;
      }
      // Only what changed goes into the commit, as a person would commit it.
      if (previous.get(path) === content) continue;
      previous.set(path, content);
      stream.put(path, Buffer.from(content, 'utf8'));
    }
    stream.end();
  });
  await stream.run(git);
}

/**
 * Creates each scenario repository on first start: an empty folder gets a
 * bare repository and its seeded history; an existing repository is left as
 * it is (so merged pull requests and pushes survive restarts).
 */
export async function seedRepositories(
  model: ForgeModel,
): Promise<ForgeRepo[]> {
  const created: ForgeRepo[] = [];
  for (const repo of model.repos) {
    if (repo.git.exists() && (await repo.git.refs('refs/heads/')).length > 0)
      continue;
    if (fs.existsSync(repo.git.dir))
      fs.rmSync(repo.git.dir, { recursive: true, force: true });
    await GitRepository.init(repo.git.dir, repo.defaultBranch);
    await importHistory(
      repo.git,
      repo.defaultBranch,
      seedHistory(model.scenario, repo),
      model.scenario.household.timezone,
    );
    created.push(repo);
  }
  return created;
}
