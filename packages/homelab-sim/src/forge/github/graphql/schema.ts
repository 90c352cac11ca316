import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, GraphQLSchema } from 'graphql';

let schema: GraphQLSchema | undefined;

/**
 * GitHub's own GraphQL schema, as published in `@octokit/graphql-schema`
 * (generated from GitHub's public schema). Queries are validated against
 * it by graphql-js, so a client's query fails here exactly when it would
 * fail on GitHub; fields the forge does not model resolve to null (or to a
 * "Cannot return null" error for non-null ones).
 *
 * The package is ESM-only and exports no file paths, so its
 * `schema.graphql` is found on the module search path. The published file
 * repeats two fields of `EnterpriseOwnerInfo`, which strict SDL validation
 * refuses; the document is GitHub's, so it is taken as valid.
 */
export function githubSchema(): GraphQLSchema {
  if (!schema) {
    const dirs = require.resolve.paths('@octokit/graphql-schema') ?? [];
    const file = dirs
      .map(d => path.join(d, '@octokit', 'graphql-schema', 'schema.graphql'))
      .find(f => fs.existsSync(f));
    if (!file)
      throw new Error(
        '@octokit/graphql-schema is not installed: the forge needs it for GraphQL',
      );
    schema = buildSchema(fs.readFileSync(file, 'utf8'), {
      assumeValidSDL: true,
    });
  }
  return schema;
}
