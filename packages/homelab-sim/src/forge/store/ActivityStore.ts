import { JsonFileStore } from './JsonFileStore';

/** A comment on an issue or pull request (its conversation, not a review line). */
export type StoredComment = {
  id: number;
  repo: string;
  /** Issue or pull request number. */
  number: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
};

export type ReviewState =
  | 'APPROVED'
  | 'CHANGES_REQUESTED'
  | 'COMMENTED'
  | 'PENDING'
  | 'DISMISSED';

export type StoredReview = {
  id: number;
  repo: string;
  number: number;
  user: string;
  body: string;
  state: ReviewState;
  commitId: string;
  submittedAt?: string;
};

/** GitHub's four states; Gitea adds `warning`. */
export type StatusState =
  | 'error'
  | 'failure'
  | 'pending'
  | 'success'
  | 'warning';

/** A commit status (CI result) posted for a commit. */
export type StoredStatus = {
  id: number;
  repo: string;
  sha: string;
  state: StatusState;
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: string;
  createdAt: string;
  updatedAt: string;
};

export type StoredCheckRun = {
  id: number;
  repo: string;
  headSha: string;
  name: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion:
    | 'success'
    | 'failure'
    | 'neutral'
    | 'cancelled'
    | 'skipped'
    | 'timed_out'
    | 'action_required'
    | null;
  detailsUrl: string | null;
  externalId: string | null;
  title: string | null;
  summary: string | null;
  startedAt: string | null;
  completedAt: string | null;
};

export type StoredRelease = {
  id: number;
  repo: string;
  tagName: string;
  targetCommitish: string;
  name: string;
  body: string;
  draft: boolean;
  prerelease: boolean;
  author: string;
  createdAt: string;
  publishedAt: string | null;
};

type ActivityFile = {
  version: 1;
  nextId: number;
  comments: StoredComment[];
  reviews: StoredReview[];
  statuses: StoredStatus[];
  checkRuns: StoredCheckRun[];
  releases: StoredRelease[];
};

type Kind = Exclude<keyof ActivityFile, 'version' | 'nextId'>;
type Item<K extends Kind> = ActivityFile[K][number];

/**
 * What people and CI add around commits and pull requests, shared by the
 * GitHub and Gitea APIs: conversation comments, reviews, commit statuses,
 * check runs and releases (`<state>/forge/activity.json`). Ids are global,
 * as on GitHub.
 */
export class ActivityStore {
  private readonly file: JsonFileStore<ActivityFile>;

  constructor(file: string) {
    this.file = new JsonFileStore<ActivityFile>(
      file,
      () => ({
        version: 1,
        nextId: 1,
        comments: [],
        reviews: [],
        statuses: [],
        checkRuns: [],
        releases: [],
      }),
      (parsed, name) => {
        const data = parsed as ActivityFile;
        if (data?.version !== 1 || !Array.isArray(data.comments))
          throw new Error(`${name} is not a forge activity store (version 1)`);
        return data;
      },
    );
  }

  list<K extends Kind>(
    kind: K,
    repo: string,
    where: (item: Item<K>) => boolean = () => true,
  ): Item<K>[] {
    return (this.file.current[kind] as Item<K>[]).filter(
      i => i.repo === repo && where(i),
    );
  }

  get<K extends Kind>(kind: K, repo: string, id: number): Item<K> | undefined {
    return this.list(kind, repo, i => i.id === id)[0];
  }

  add<K extends Kind>(kind: K, item: Omit<Item<K>, 'id'>): Promise<Item<K>> {
    return this.file.transaction(draft => {
      const stored = { ...item, id: draft.nextId++ } as Item<K>;
      (draft[kind] as Item<K>[]).push(stored);
      return stored;
    });
  }

  /** Changes one item; undefined when it does not exist. */
  update<K extends Kind>(
    kind: K,
    repo: string,
    id: number,
    change: (item: Item<K>) => void,
  ): Promise<Item<K> | undefined> {
    return this.file.transaction(draft => {
      const found = (draft[kind] as Item<K>[]).find(
        i => i.repo === repo && i.id === id,
      );
      if (found) change(found);
      return found;
    });
  }

  remove<K extends Kind>(kind: K, repo: string, id: number): Promise<boolean> {
    return this.file.transaction(draft => {
      const list = draft[kind] as Item<K>[];
      const i = list.findIndex(x => x.repo === repo && x.id === id);
      if (i >= 0) list.splice(i, 1);
      return i >= 0;
    });
  }
}
