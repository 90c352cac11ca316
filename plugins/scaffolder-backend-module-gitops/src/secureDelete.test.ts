import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import { mockLogger } from './__testUtils__/actionContext';
import { enableSecureDelete } from './secureDelete';

/**
 * The scaffolder writes template secrets into `tasks.secrets` and sets the
 * column to NULL when a worker claims the task. Whether the plaintext is
 * then gone from the database file is what this checks, on a real SQLite
 * file, with and without the module's setting.
 */
describe('enableSecureDelete', () => {
  const canary = 'canary-plaintext-4f1c9e';
  let dir: string;
  const dbs: Knex[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secure-delete-'));
  });
  afterEach(async () => {
    await Promise.all(dbs.splice(0).map(db => db.destroy()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Tasks as the scaffolder stores them (a few KB of spec), with secrets of
   * the given size: a password, or a key file pasted as base64 (large
   * enough to spill into overflow pages). Returns how many of the claimed
   * tasks' secrets can still be found in the file.
   */
  async function plaintextLeftAfterClaim(
    secure: boolean,
    tasks: number,
    secretSize: number,
  ): Promise<number> {
    const file = path.join(dir, `scaffolder-${secure}-${tasks}.sqlite`);
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: file },
      useNullAsDefault: true,
    });
    dbs.push(knex);
    if (secure) {
      await enableSecureDelete(
        { getClient: async () => knex } as any,
        mockLogger(),
      );
    }
    await knex.schema.createTable('tasks', t => {
      t.string('id').primary();
      t.text('spec');
      t.text('secrets').nullable();
    });
    // What createTask and claimTask do with each task's secrets.
    const value = (i: number) => `${canary}-${i}-${'k'.repeat(secretSize)}`;
    for (let i = 0; i < tasks; i++) {
      await knex('tasks').insert({
        id: `t${i}`,
        spec: JSON.stringify({ steps: [], pad: 's'.repeat(2000) }),
        secrets: JSON.stringify({ secretValue1: value(i) }),
      });
    }
    for (let i = 0; i < tasks; i++) {
      await knex('tasks')
        .where({ id: `t${i}` })
        .update({ secrets: null });
    }
    await knex.destroy();
    dbs.pop();
    const bytes = fs.readFileSync(file);
    return Array.from({ length: tasks }, (_, i) => i).filter(i =>
      bytes.includes(Buffer.from(`${canary}-${i}-`)),
    ).length;
  }

  it('without it, SQLite keeps claimed secrets in the file', async () => {
    expect(await plaintextLeftAfterClaim(false, 5, 8000)).toBe(5);
    expect(await plaintextLeftAfterClaim(false, 40, 200)).toBeGreaterThan(0);
  });

  it('with it, claimed secrets are erased from the file', async () => {
    expect(await plaintextLeftAfterClaim(true, 5, 8000)).toBe(0);
    expect(await plaintextLeftAfterClaim(true, 40, 200)).toBe(0);
  });

  it('turns it on for connections the pool opens later', async () => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'pool.sqlite') },
      useNullAsDefault: true,
      pool: { min: 0, max: 1, idleTimeoutMillis: 10, reapIntervalMillis: 10 },
    });
    dbs.push(knex);
    await enableSecureDelete(
      { getClient: async () => knex } as any,
      mockLogger(),
    );
    // Let the pool drop its connection, then open a new one.
    const pool = (knex.client as any).pool;
    let created = 0;
    pool.on('createSuccess', () => created++);
    while (pool.numFree() + pool.numUsed() > 0)
      await new Promise(r => setTimeout(r, 10));
    const [row] = await knex.raw('PRAGMA secure_delete');
    expect(created).toBe(1);
    expect(Object.values(row)[0]).toBe(1);
  });

  it('leaves other databases alone', async () => {
    const client = { client: { config: { client: 'pg' } } };
    expect(
      await enableSecureDelete(
        { getClient: async () => client } as any,
        mockLogger(),
      ),
    ).toBe(false);
  });
});
