import fs from 'node:fs';
import path from 'node:path';

/**
 * One JSON document on disk, written atomically (temp file + rename) and one
 * change at a time, so a crash or two concurrent API calls never leave a
 * half-written file.
 */
export class JsonFileStore<T> {
  private data: T;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly file: string,
    empty: () => T,
    /** Checks what was read; throws when the file is not this store's. */
    check: (parsed: unknown, file: string) => T,
  ) {
    this.data = fs.existsSync(file)
      ? check(JSON.parse(fs.readFileSync(file, 'utf8')), file)
      : empty();
  }

  /** The current data; callers must not change it (use `transaction`). */
  get current(): T {
    return this.data;
  }

  /**
   * Runs `change` exclusively against a copy of the current data and saves
   * the result; if `change` throws, nothing is saved.
   */
  transaction<R>(change: (draft: T) => R | Promise<R>): Promise<R> {
    const run = this.queue.then(async () => {
      const draft = structuredClone(this.data);
      const result = await change(draft);
      this.save(draft);
      this.data = draft;
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private save(data: T) {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`);
    fs.renameSync(tmp, this.file);
  }
}
