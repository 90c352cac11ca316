import type { GitRepository } from './GitRepository';
import { runGit } from './runGit';

/**
 * A `git fast-import` stream: many commits and files written by one git
 * process, where the tree and commit plumbing would start one per object.
 */
export class FastImport {
  private readonly chunks: Buffer[] = [];

  private write(s: string | Buffer) {
    this.chunks.push(Buffer.isBuffer(s) ? s : Buffer.from(s, 'utf8'));
  }

  /**
   * Starts a commit on `ref`, by `who` ("Name <email> seconds +zone"), on
   * top of `from` (a commit id) or of the ref's last commit in this stream.
   * Its files follow with `put` and `remove`, then `end`.
   */
  commit(options: {
    ref: string;
    who: string;
    message: string;
    mark?: number;
    from?: string;
  }) {
    const message = Buffer.from(options.message, 'utf8');
    this.write(`commit ${options.ref}\n`);
    if (options.mark !== undefined) this.write(`mark :${options.mark}\n`);
    this.write(`author ${options.who}\ncommitter ${options.who}\n`);
    this.write(`data ${message.length}\n`);
    this.write(message);
    this.write('\n');
    if (options.from) this.write(`from ${options.from}\n`);
  }

  put(path: string, data: Buffer) {
    this.write(`M 100644 inline ${path}\ndata ${data.length}\n`);
    this.write(data);
    this.write('\n');
  }

  remove(path: string) {
    this.write(`D ${path}\n`);
  }

  end() {
    this.write('\n');
  }

  async run(git: GitRepository) {
    this.write('done\n');
    await runGit(['fast-import', '--quiet', '--done'], {
      gitDir: git.dir,
      input: Buffer.concat(this.chunks),
    });
  }
}
