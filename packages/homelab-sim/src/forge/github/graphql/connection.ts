/** Relay-style connection arguments as GitHub takes them. */
export type ConnectionArgs = {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
};

/** A resolver error GitHub reports with a top-level `type` (NOT_FOUND, ...). */
export class TypedError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

const cursorOf = (i: number) =>
  Buffer.from(`cursor:v2:${i}`).toString('base64');

function indexOf(cursor: string | null | undefined): number | undefined {
  if (!cursor) return undefined;
  const m = /^cursor:v2:(\d+)$/.exec(
    Buffer.from(cursor, 'base64').toString('utf8'),
  );
  if (!m)
    throw new TypedError(
      'INVALID_CURSOR_ARGUMENTS',
      `\`${cursor}\` does not appear to be a valid cursor.`,
    );
  return Number(m[1]);
}

/**
 * One page of `all` as a GitHub connection (nodes, edges, pageInfo,
 * totalCount), with GitHub's pagination rules: `first` or `last` is
 * required and at most 100.
 */
export function connection<T>(
  all: T[],
  args: ConnectionArgs,
  field: string,
  options: { unbounded?: boolean } = {},
) {
  const { first, last } = args;
  if (
    (first === null || first === undefined) &&
    (last === null || last === undefined) &&
    !options.unbounded
  )
    throw new TypedError(
      'MISSING_PAGINATION_BOUNDARIES',
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`,
    );
  for (const [k, v] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (typeof v === 'number' && (v > 100 || v < 0))
      throw new TypedError(
        'EXCESSIVE_PAGINATION',
        `Requesting ${v} records on the \`${field}\` connection exceeds the \`${k}\` limit of 100 records.`,
      );
  }
  let start = 0;
  let end = all.length;
  const after = indexOf(args.after);
  const before = indexOf(args.before);
  if (after !== undefined) start = after + 1;
  if (before !== undefined) end = Math.min(end, before);
  if (typeof first === 'number') end = Math.min(end, start + first);
  if (typeof last === 'number') start = Math.max(start, end - last);
  const page = all.slice(start, end).map((node, i) => ({
    node,
    cursor: cursorOf(start + i),
  }));
  return {
    totalCount: all.length,
    nodes: page.map(e => e.node),
    edges: page,
    pageInfo: {
      hasNextPage: end < all.length,
      hasPreviousPage: start > 0,
      startCursor: page[0]?.cursor ?? null,
      endCursor: page[page.length - 1]?.cursor ?? null,
    },
  };
}
