import { Problems } from './problems';

/** `git check-ref-format --branch` rules, as a forge applies them to a new branch. */
export function checkBranchName(
  problems: Problems,
  field: string,
  value: string,
) {
  const bad =
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > 200 ||
    value.startsWith('-') ||
    value.startsWith('/') ||
    value.endsWith('/') ||
    value.endsWith('.') ||
    value.endsWith('.lock') ||
    value.includes('..') ||
    value.includes('//') ||
    value.includes('@{') ||
    value === '@' ||
    /[\s~^:?*[\\]/.test(value) ||
    [...value].some(c => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) ||
    value.split('/').some(part => part.startsWith('.'));
  if (bad) {
    problems.add(
      field,
      'git-branch',
      `${JSON.stringify(
        value,
      )} is not a valid branch name (no spaces, "..", "~^:?*[\\", leading "-" or ".", trailing "/" or ".lock")`,
    );
    return false;
  }
  return true;
}
