/** @public */
export type UpdateType = 'major' | 'minor' | 'patch' | 'digest' | 'unknown';

/** @public */
export type RenovateUpdate = {
  depName: string;
  from?: string;
  to: string;
  updateType: UpdateType;
};

function numbers(version: string): number[] | undefined {
  const m = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version);
  return m ? [m[1], m[2], m[3]].map(x => Number(x ?? 0)) : undefined;
}

/**
 * Major, minor or patch between two versions (`v1.2.3`, `2025.10.3`,
 * `1.44.1-ls12`); `digest` for commit-like tags, `unknown` when either side
 * is no version.
 *
 * @public
 */
export function updateTypeOf(from: string | undefined, to: string): UpdateType {
  if (/^[0-9a-f]{7,}$/.test(to)) return 'digest';
  const a = from ? numbers(from) : undefined;
  const b = numbers(to);
  if (!a || !b) return 'unknown';
  if (a[0] !== b[0]) return 'major';
  if (a[1] !== b[1]) return 'minor';
  return 'patch';
}

const TYPES: UpdateType[] = ['major', 'minor', 'patch', 'digest'];

/**
 * What a Renovate pull request updates, from its title, labels and body
 * (notes/gitops-status.md §5): Home Operations titles end in
 * `(<from> ➔ <to>)` and carry `type/<update>` labels; default titles end in
 * `to <version>` and the body's table has a Change column that reads
 * `from` → `to`, each version in backticks. Undefined when the pull request is not Renovate's.
 *
 * @public
 */
export function parseRenovatePull(pull: {
  title: string;
  head: string;
  labels?: string[];
  body?: string;
}): RenovateUpdate | undefined {
  if (!pull.head.startsWith('renovate/')) return undefined;
  const title = pull.title.replace(/^[a-z]+(\([^)]*\))?!?:\s*/i, '');
  const arrow =
    /^update (?:image |chart |action )?(.+?) \(\s*(\S+)\s*➔\s*(\S+)\s*\)$/i.exec(
      title,
    );
  let depName: string | undefined;
  let from: string | undefined;
  let to: string | undefined;
  if (arrow) {
    [, depName, from, to] = arrow;
  } else {
    const plain =
      /^update (?:dependency )?(.+?)(?: docker tag| digest)? to (\S+)$/i.exec(
        title,
      );
    if (!plain) return undefined;
    [, depName, to] = plain;
    const change = /`([^`]+)`\s*(?:→|->)\s*`([^`]+)`/.exec(pull.body ?? '');
    if (change) from = change[1];
  }
  const label = (pull.labels ?? [])
    .map(l => /^type\/(\w+)$/.exec(l)?.[1] as UpdateType | undefined)
    .find(t => t && TYPES.includes(t));
  return {
    depName,
    from,
    to,
    updateType: label ?? updateTypeOf(from, to),
  };
}
