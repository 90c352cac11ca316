import { buildSchema, graphql, GraphQLError, GraphQLSchema } from 'graphql';
import { ForgeContext } from '../ForgeContext';
import { Caller, ForgeRepo } from '../ForgeModel';
import { isoTime } from '../git/GitRepository';
import { StoredPull } from '../pulls/PullStore';
import { nodeId } from './shapes';

/**
 * The part of GitHub's GraphQL schema the create-pull-request library asks
 * for (repository → ref → associatedPullRequests) plus a few neighbours. Names,
 * argument names and nullability follow GitHub's public schema; it is executed
 * by the real graphql-js, so malformed queries fail like they would there.
 */
const SDL = /* GraphQL */ `
  scalar URI
  scalar DateTime
  scalar GitObjectID

  enum PullRequestState {
    OPEN
    CLOSED
    MERGED
  }

  type Query {
    repository(
      owner: String!
      name: String!
      followRenames: Boolean = true
    ): Repository
    viewer: User!
  }

  type User {
    id: ID!
    login: String!
    name: String
    email: String!
    url: URI!
  }

  type RepositoryOwner {
    id: ID!
    login: String!
    url: URI!
  }

  type Repository {
    id: ID!
    name: String!
    nameWithOwner: String!
    url: URI!
    isPrivate: Boolean!
    owner: RepositoryOwner!
    defaultBranchRef: Ref
    ref(qualifiedName: String!): Ref
    pullRequest(number: Int!): PullRequest
    pullRequests(
      first: Int
      last: Int
      states: [PullRequestState!]
      headRefName: String
      baseRefName: String
    ): PullRequestConnection!
  }

  type Ref {
    id: ID!
    name: String!
    prefix: String!
    target: Commit
    associatedPullRequests(
      first: Int
      last: Int
      states: [PullRequestState!]
    ): PullRequestConnection!
  }

  type Commit {
    id: ID!
    oid: GitObjectID!
    abbreviatedOid: String!
    message: String!
    committedDate: DateTime!
    url: URI!
  }

  type PullRequestConnection {
    edges: [PullRequestEdge]
    nodes: [PullRequest]
    totalCount: Int!
  }

  type PullRequestEdge {
    cursor: String!
    node: PullRequest
  }

  type Actor {
    login: String!
  }

  type PullRequest {
    id: ID!
    number: Int!
    url: URI!
    title: String!
    body: String!
    state: PullRequestState!
    isDraft: Boolean!
    merged: Boolean!
    headRefName: String!
    baseRefName: String!
    headRefOid: GitObjectID!
    createdAt: DateTime!
    author: Actor
  }
`;

let schema: GraphQLSchema | undefined;

/** A resolver error GitHub reports with a top-level `type` (NOT_FOUND, ...). */
class TypedError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

type ConnectionArgs = { first?: number; last?: number; states?: string[] };

export async function executeGraphql(
  forge: ForgeContext,
  caller: Caller,
  query: string,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
) {
  schema ??= buildSchema(SDL);
  const { model, pulls } = forge;
  const web = model.baseUrl;

  const pullState = (p: StoredPull) => {
    if (p.merged) return 'MERGED';
    return p.state === 'open' ? 'OPEN' : 'CLOSED';
  };

  const pullNode = (repo: ForgeRepo, p: StoredPull) => ({
    id: nodeId('PullRequest', p.id),
    number: p.number,
    url: `${web}/${repo.fullName}/pull/${p.number}`,
    title: p.title,
    body: p.body,
    state: pullState(p),
    isDraft: p.draft,
    merged: p.merged,
    headRefName: p.head,
    baseRefName: p.base,
    headRefOid: p.headSha,
    createdAt: p.createdAt,
    author: { login: p.user },
  });

  const connection = (
    repo: ForgeRepo,
    list: StoredPull[],
    args: ConnectionArgs,
    field: string,
  ) => {
    if (args.first === undefined && args.last === undefined)
      throw new TypedError(
        'MISSING_PAGINATION_BOUNDARIES',
        `You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`,
      );
    for (const [k, v] of [
      ['first', args.first],
      ['last', args.last],
    ] as const) {
      if (v !== undefined && v > 100)
        throw new TypedError(
          'EXCESSIVE_PAGINATION',
          `Requesting ${v} records on the \`${field}\` connection exceeds the \`${k}\` limit of 100 records.`,
        );
    }
    let items = list.filter(
      p => !args.states?.length || args.states.includes(pullState(p)),
    );
    const total = items.length;
    if (args.first !== undefined) items = items.slice(0, args.first);
    if (args.last !== undefined)
      items = items.slice(Math.max(0, items.length - args.last));
    const nodes = items.map(p => pullNode(repo, p));
    return {
      totalCount: total,
      nodes,
      edges: nodes.map(n => ({
        cursor: Buffer.from(`cursor:v2:${n.number}`).toString('base64'),
        node: n,
      })),
    };
  };

  const refNode = async (repo: ForgeRepo, qualifiedName: string) => {
    const candidates = qualifiedName.startsWith('refs/')
      ? [qualifiedName]
      : [`refs/heads/${qualifiedName}`, `refs/tags/${qualifiedName}`];
    for (const full of candidates) {
      const found = (await repo.git.refs(full)).find(r => r.ref === full);
      if (!found) continue;
      const prefix = `${full.split('/').slice(0, 2).join('/')}/`;
      const name = full.slice(prefix.length);
      return {
        id: nodeId('Ref', `${repo.id}:${full}`),
        name,
        prefix,
        target: async () => {
          const c = await repo.git.commit(found.sha);
          return (
            c && {
              id: nodeId('Commit', `${repo.id}:${c.sha}`),
              oid: c.sha,
              abbreviatedOid: c.sha.slice(0, 7),
              message: c.message.replace(/\n$/, ''),
              committedDate: isoTime(c.committer),
              url: `${web}/${repo.fullName}/commit/${c.sha}`,
            }
          );
        },
        associatedPullRequests: (args: ConnectionArgs) =>
          prefix === 'refs/heads/'
            ? connection(
                repo,
                pulls.list(repo).filter(p => p.head === name),
                args,
                'associatedPullRequests',
              )
            : connection(repo, [], args, 'associatedPullRequests'),
      };
    }
    return null;
  };

  const repositoryNode = (repo: ForgeRepo) => ({
    id: nodeId('Repository', repo.id),
    name: repo.name,
    nameWithOwner: repo.fullName,
    url: `${web}/${repo.fullName}`,
    isPrivate: true,
    owner: {
      id: nodeId('Organization', repo.owner.id),
      login: repo.owner.login,
      url: `${web}/${repo.owner.login}`,
    },
    defaultBranchRef: () => refNode(repo, repo.defaultBranch),
    ref: ({ qualifiedName }: { qualifiedName: string }) =>
      refNode(repo, qualifiedName),
    pullRequest: ({ number }: { number: number }) => {
      const p = pulls.get(repo, number);
      if (!p)
        throw new TypedError(
          'NOT_FOUND',
          `Could not resolve to a PullRequest with the number of ${number}.`,
        );
      return pullNode(repo, p);
    },
    pullRequests: (
      args: ConnectionArgs & { headRefName?: string; baseRefName?: string },
    ) =>
      connection(
        repo,
        pulls
          .list(repo)
          .filter(
            p =>
              (!args.headRefName || p.head === args.headRefName) &&
              (!args.baseRefName || p.base === args.baseRefName),
          ),
        args,
        'pullRequests',
      ),
  });

  const root = {
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repo = model.repo(owner, name);
      if (!repo)
        throw new TypedError(
          'NOT_FOUND',
          `Could not resolve to a Repository with the name '${owner}/${name}'.`,
        );
      return repositoryNode(repo);
    },
    viewer: () => ({
      id: nodeId('User', caller.account.id),
      login: caller.account.login,
      name: caller.account.name,
      email: caller.account.email,
      url: `${web}/${caller.account.login}`,
    }),
  };

  const result = await graphql({
    schema,
    source: query,
    rootValue: root,
    variableValues: variables,
    operationName,
  });
  const out: Record<string, unknown> = {};
  if (result.data !== undefined) out.data = result.data;
  if (result.errors?.length) {
    out.errors = result.errors.map((e: GraphQLError) => {
      const typed =
        e.originalError instanceof TypedError
          ? e.originalError.type
          : undefined;
      return {
        ...(typed ? { type: typed } : {}),
        ...(e.path ? { path: e.path } : {}),
        ...(e.locations ? { locations: e.locations } : {}),
        message: e.message,
      };
    });
  }
  return out;
}
