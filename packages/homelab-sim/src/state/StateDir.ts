import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The sim's git-ignored state folder: CA, tokens, repositories, talosconfig.
 * Secrets are written 0600 and created once, so a portal configured from this
 * folder keeps working across sim restarts.
 */
export class StateDir {
  constructor(readonly root: string) {
    fs.mkdirSync(root, { recursive: true });
  }

  path(...parts: string[]): string {
    return path.join(this.root, ...parts);
  }

  /** A random token stored at `<name>`; created on first use. */
  token(name: string, bytes = 24): string {
    const file = this.path(name);
    if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
    const value = randomBytes(bytes).toString('hex');
    // No trailing newline: the portal reads these with `$file` as-is.
    this.writeSecret(name, value);
    return value;
  }

  writeSecret(name: string, content: string | Buffer) {
    const file = this.path(name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content, { mode: 0o600 });
  }

  writeFile(name: string, content: string | Buffer) {
    const file = this.path(name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}
