import { graphql, GraphQLError, OperationTypeNode, parse } from 'graphql';
import { ForgeContext } from '../../ForgeContext';
import { Caller } from '../../ForgeModel';
import { TypedError } from './connection';
import { GraphNodes, parseNodeId } from './nodes';
import { githubSchema } from './schema';

type GraphqlAnswer = { data?: unknown; errors?: unknown[] };

/**
 * graphql-js validation messages in the words of GitHub's GraphQL server
 * (graphql-ruby), which clients and people search for.
 */
function githubWording(message: string) {
  const field = /^Cannot query field "(\w+)" on type "(\w+)"\./.exec(message);
  if (field)
    return {
      message: `Field '${field[1]}' doesn't exist on type '${field[2]}'`,
      extensions: {
        code: 'undefinedField',
        typeName: field[2],
        fieldName: field[1],
      },
    };
  const variable =
    /^Variable "\$(\w+)" of required type "([^"]+)" was not provided\./.exec(
      message,
    );
  if (variable)
    return {
      message: `Variable '$${variable[1]}' of required type '${variable[2]}' was not provided`,
    };
  return { message };
}

/** GitHub's error entry: `type` for resolver errors it classifies, `path`, `locations`, `message`. */
function errorEntry(e: GraphQLError) {
  const original = e.originalError;
  const typed = original instanceof TypedError ? original.type : undefined;
  // A failure inside the forge (git, disk) is not the caller's business:
  // GitHub answers those with a generic message, and so does the sim.
  const internal =
    original &&
    !typed &&
    !(original instanceof GraphQLError) &&
    !/^Cannot return null for non-nullable field/.test(original.message);
  return {
    ...(typed ? { type: typed } : {}),
    ...(e.path ? { path: e.path } : {}),
    ...(e.locations ? { locations: e.locations } : {}),
    ...(internal
      ? {
          message:
            'Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug.',
        }
      : githubWording(e.message)),
  };
}

/**
 * Runs one GraphQL request against GitHub's schema with the forge's data.
 * Every outcome is an answer (`data` and/or `errors`), never an exception:
 * GitHub reports query and resolver errors with HTTP 200.
 */
export async function executeGraphql(
  forge: ForgeContext,
  caller: Caller,
  query: string,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): Promise<GraphqlAnswer> {
  try {
    const document = parse(query);
    const mutation = document.definitions.some(
      d =>
        d.kind === 'OperationDefinition' &&
        d.operation === ('mutation' as OperationTypeNode) &&
        (!operationName || d.name?.value === operationName),
    );
    if (mutation)
      return {
        errors: [
          {
            type: 'FORBIDDEN',
            message:
              'The demo forge answers no GraphQL mutations; use the REST API for changes.',
          },
        ],
      };
  } catch {
    // A syntax error: graphql-js reports it below, in GitHub's form.
  }
  const nodes = new GraphNodes(forge, caller);
  const { model, pulls, issues } = forge;
  const root = {
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repo = model.repo(owner, name);
      if (!repo)
        throw new TypedError(
          'NOT_FOUND',
          `Could not resolve to a Repository with the name '${owner}/${name}'.`,
        );
      return nodes.repository(repo);
    },
    viewer: () => nodes.account(caller.account),
    user: ({ login }: { login: string }) => {
      const a = model.account(login);
      if (!a || a.type !== 'User')
        throw new TypedError(
          'NOT_FOUND',
          `Could not resolve to a User with the login of '${login}'.`,
        );
      return nodes.account(a);
    },
    organization: ({ login }: { login: string }) => {
      const a = model.account(login);
      if (!a || a.type !== 'Organization')
        throw new TypedError(
          'NOT_FOUND',
          `Could not resolve to an Organization with the login of '${login}'.`,
        );
      return nodes.account(a);
    },
    node: ({ id }: { id: string }) => {
      const parsed = parseNodeId(id);
      const notFound = new TypedError(
        'NOT_FOUND',
        `Could not resolve to a node with the global id of '${id}'`,
      );
      if (!parsed) throw notFound;
      for (const repo of model.repos) {
        if (parsed.type === 'Repository' && String(repo.id) === parsed.key)
          return nodes.repository(repo);
        if (parsed.type === 'PullRequest') {
          const p = pulls.list(repo).find(x => String(x.id) === parsed.key);
          if (p) return nodes.pullRequest(repo, p);
        }
        if (parsed.type === 'Issue') {
          const i = issues.list(repo).find(x => String(x.id) === parsed.key);
          if (i) return nodes.issue(repo, i);
        }
      }
      throw notFound;
    },
    rateLimit: () => null,
  };
  try {
    const result = await graphql({
      schema: githubSchema(),
      source: query,
      rootValue: root,
      variableValues: variables,
      operationName,
    });
    const out: GraphqlAnswer = {};
    if (result.data !== undefined) out.data = result.data;
    if (result.errors?.length) out.errors = result.errors.map(errorEntry);
    return out;
  } catch {
    return {
      errors: [
        {
          message:
            'Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug.',
        },
      ],
    };
  }
}
