import fs from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '@backstage/errors';
import { PlannedFile } from './layout/types';

/** The folder inside the workspace that mirrors the repository root. */
export function stagingDir(workspacePath: string, targetPath = '.'): string {
  const root = path.resolve(workspacePath);
  const dir = path.resolve(root, targetPath);
  if (dir !== root && !dir.startsWith(root + path.sep)) {
    throw new InputError(
      `targetPath: "${targetPath}" points outside the workspace`,
    );
  }
  return dir;
}

function inside(dir: string, file: string): string {
  const full = path.resolve(dir, file);
  if (!full.startsWith(dir + path.sep)) {
    throw new InputError(
      `the file path "${file}" points outside the workspace`,
    );
  }
  return full;
}

/**
 * Files earlier steps already wrote for this pull request, by repo path.
 * Later steps read these instead of the forge's copy.
 */
export async function readStaged(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (rel: string) => {
    let entries;
    try {
      entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(child);
      else if (entry.isFile() && /\.ya?ml$/.test(entry.name)) {
        out.set(child, await fs.readFile(path.join(dir, child), 'utf8'));
      }
    }
  };
  await walk('');
  return out;
}

/** Writes every planned file; called only after all validation passed. */
export async function writeStaged(dir: string, files: PlannedFile[]) {
  // Resolve every path first: one bad path writes nothing.
  const targets = files.map(f => ({
    full: inside(dir, f.path),
    content: f.content,
  }));
  for (const t of targets) {
    await fs.mkdir(path.dirname(t.full), { recursive: true });
    await fs.writeFile(t.full, t.content, 'utf8');
  }
}
