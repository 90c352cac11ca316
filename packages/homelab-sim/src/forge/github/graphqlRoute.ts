import { authenticate } from '../auth';
import { docsUrl } from './errors';
import { executeGraphql } from './graphql/execute';
import { graphqlUnauthorized, GithubRoutes } from './GithubRoutes';
import { send } from './http';

/**
 * `POST /api/graphql` (GitHub Enterprise's path; Octokit derives it from an
 * `/api/v3` base). Query, validation and resolver errors are HTTP 200 with
 * `errors`, as on GitHub; only a missing token (401) and a body that is not
 * JSON (400) are HTTP errors. Over the GraphQL rate limit the answer is a
 * `RATE_LIMITED` error.
 */
export function registerGraphql(gh: GithubRoutes) {
  gh.router.post('/api/graphql', async (req, res) => {
    const auth = authenticate(gh.model, req);
    if (auth.kind !== 'caller')
      throw graphqlUnauthorized(auth.kind === 'invalid');
    try {
      gh.meter(req, res, auth.caller, 'graphql');
    } catch {
      send(res, 200, {
        errors: [
          {
            type: 'RATE_LIMITED',
            message: `API rate limit already exceeded for user ID ${auth.caller.account.id}.`,
          },
        ],
      });
      return;
    }
    let payload: {
      query?: unknown;
      variables?: unknown;
      operationName?: unknown;
    };
    try {
      payload = JSON.parse((await req.body()).toString('utf8'));
    } catch {
      send(res, 400, {
        message: 'Problems parsing JSON',
        documentation_url: docsUrl('graphql'),
        status: '400',
      });
      return;
    }
    if (typeof payload?.query !== 'string') {
      send(res, 200, {
        errors: [
          {
            message:
              'A query attribute must be specified and must be a string.',
          },
        ],
      });
      return;
    }
    const variables =
      payload.variables && typeof payload.variables === 'object'
        ? (payload.variables as Record<string, unknown>)
        : undefined;
    send(
      res,
      200,
      await executeGraphql(
        gh.forge,
        auth.caller,
        payload.query,
        variables,
        typeof payload.operationName === 'string'
          ? payload.operationName
          : undefined,
      ),
    );
  });
}
