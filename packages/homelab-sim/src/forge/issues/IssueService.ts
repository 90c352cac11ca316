import { ForgeAccount, ForgeRepo } from '../ForgeModel';
import { PullStore, StoredIssue, StoredPull } from '../pulls/PullStore';

/** An issue or a pull request: GitHub's and Gitea's issue APIs answer for both. */
export type IssueOrPull =
  | { kind: 'issue'; issue: StoredIssue }
  | { kind: 'pull'; pull: StoredPull };

/**
 * Issues, numbered together with pull requests (one counter per
 * repository, as on GitHub and Gitea).
 */
export class IssueService {
  constructor(
    private readonly store: PullStore,
    private readonly now: () => number,
  ) {}

  private stamp() {
    return new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  list(repo: ForgeRepo): StoredIssue[] {
    return this.store.issues(repo.fullName);
  }

  get(repo: ForgeRepo, number: number): StoredIssue | undefined {
    return this.store.issue(repo.fullName, number);
  }

  /** The issue or pull request with this number. */
  find(repo: ForgeRepo, number: number): IssueOrPull | undefined {
    const issue = this.get(repo, number);
    if (issue) return { kind: 'issue', issue };
    const pull = this.store.get(repo.fullName, number);
    return pull ? { kind: 'pull', pull } : undefined;
  }

  create(
    repo: ForgeRepo,
    input: {
      title: string;
      body: string;
      user: ForgeAccount;
      labels: string[];
      assignees: string[];
    },
  ): Promise<StoredIssue> {
    return this.store.transaction(tx => {
      const at = this.stamp();
      return tx.addIssue({
        repo: repo.fullName,
        title: input.title,
        body: input.body,
        state: 'open',
        user: input.user.login,
        labels: [...new Set(input.labels)],
        assignees: [...new Set(input.assignees)],
        createdAt: at,
        updatedAt: at,
      });
    });
  }

  update(
    repo: ForgeRepo,
    number: number,
    change: {
      title?: string;
      body?: string;
      state?: 'open' | 'closed';
      stateReason?: StoredIssue['stateReason'];
      labels?: string[];
      assignees?: string[];
    },
  ): Promise<StoredIssue | undefined> {
    return this.store.transaction(tx => {
      const issue = tx.issue(repo.fullName, number);
      if (!issue) return undefined;
      const at = this.stamp();
      if (change.title !== undefined) issue.title = change.title;
      if (change.body !== undefined) issue.body = change.body;
      if (change.labels) issue.labels = [...new Set(change.labels)];
      if (change.assignees) issue.assignees = [...new Set(change.assignees)];
      if (change.state && change.state !== issue.state) {
        issue.state = change.state;
        issue.closedAt = change.state === 'closed' ? at : undefined;
        issue.stateReason =
          change.stateReason ??
          (change.state === 'closed' ? 'completed' : 'reopened');
      }
      issue.updatedAt = at;
      return issue;
    });
  }
}
