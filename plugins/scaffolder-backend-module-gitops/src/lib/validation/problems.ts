import { InputError } from '@backstage/errors';

/**
 * One reason an input is refused: the field (as the template names it), the
 * rule it breaks (a stable id the tests and docs use) and a sentence for the
 * person who filled in the form.
 */
export type Problem = {
  field: string;
  rule: string;
  message: string;
};

/** The refusal every homelab action throws before it writes anything. */
export class GitopsInputError extends InputError {
  readonly problems: Problem[];

  constructor(what: string, problems: Problem[]) {
    super(
      `${what} refused: ${problems
        .map(p => `${p.field}: ${p.message} [rule ${p.rule}]`)
        .join('; ')}`,
    );
    this.problems = problems;
  }
}

/** Collects every problem first, so one refusal lists them all. */
export class Problems {
  readonly list: Problem[] = [];

  add(field: string, rule: string, message: string) {
    this.list.push({ field, rule, message });
  }

  addAll(problems: Problem[]) {
    this.list.push(...problems);
  }

  get empty() {
    return this.list.length === 0;
  }

  /** Throws an InputError naming each field and rule, if anything was refused. */
  throwIfAny(what: string) {
    if (this.list.length > 0) throw new GitopsInputError(what, this.list);
  }
}
