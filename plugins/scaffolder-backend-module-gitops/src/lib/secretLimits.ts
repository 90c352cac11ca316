import { Problems } from './validation/problems';

/**
 * Why there are limits at all: the scaffolder hides task secrets from the
 * task log with ONE regular expression, an alternation of every secret, the
 * user's Backstage token and every rendered step input that contains a
 * secret. V8 refuses to run it when one alternative is longer than about
 * 32,700 characters ("Regular expression too large"), and that error - the
 * whole pattern, so every secret and the token in clear - becomes the
 * task's failure: stored in the database, sent to the browser, logged.
 * One value stays far below that; so do all of them together, in case a
 * template joins several secrets into one input.
 */

/** Characters (UTF-16 code units) one secret value may have: a PEM key or a kubeconfig fits. */
export const MAX_SECRET_VALUE_LENGTH = 8192;

/**
 * Characters all the secrets of one task may have together: three full
 * values, the most a household template asks for.
 */
export const MAX_SECRETS_TOTAL_LENGTH = 24576;

const kib = (n: number) => `${(n / 1024).toLocaleString('en-US')} KiB`;

/** One sentence per secret that is too long (or the total), naming each by `label`. */
export function secretSizeProblems(
  secrets: Record<string, unknown>,
  label: (key: string) => string,
): string[] {
  const problems: string[] = [];
  let total = 0;
  for (const [key, value] of Object.entries(secrets)) {
    const length = typeof value === 'string' ? value.length : 0;
    total += length;
    if (length > MAX_SECRET_VALUE_LENGTH) {
      problems.push(
        `${label(key)} is ${length.toLocaleString(
          'en-US',
        )} characters long; a secret value may be at most ${MAX_SECRET_VALUE_LENGTH.toLocaleString(
          'en-US',
        )} characters (${kib(MAX_SECRET_VALUE_LENGTH)})`,
      );
    }
  }
  if (total > MAX_SECRETS_TOTAL_LENGTH) {
    problems.push(
      `the secrets add up to ${total.toLocaleString(
        'en-US',
      )} characters; together they may be at most ${MAX_SECRETS_TOTAL_LENGTH.toLocaleString(
        'en-US',
      )} (${kib(MAX_SECRETS_TOTAL_LENGTH)})`,
    );
  }
  return problems;
}

/** The same limits inside the seal action, for tasks created some other way. */
export function checkSecretSizes(
  problems: Problems,
  values: { key?: string; secret: string }[],
  secrets: Record<string, string> | undefined,
) {
  const used = Object.fromEntries(
    values.map(v => [v.secret, secrets?.[v.secret]]),
  );
  for (const message of secretSizeProblems(
    used,
    key => `the value of "${key}"`,
  ))
    problems.add('values', 'secret-size', message);
}
