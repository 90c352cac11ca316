import { DatabaseService, LoggerService } from '@backstage/backend-plugin-api';

/**
 * Template secrets (the plaintext of a sealed secret on its way to the
 * worker) sit in the scaffolder's `tasks` table from the moment a task is
 * created until a worker claims it and sets the column to NULL. SQLite does
 * not erase deleted or overwritten cells by itself: the old bytes stay in
 * free space of the page and in free pages of the file. `secure_delete`
 * makes SQLite zero that content when it is freed, so after the claim the
 * value is gone from the database file. A one-time VACUUM at startup drops
 * free pages an earlier run (without this setting) may have left.
 *
 * PostgreSQL keeps dead row versions until VACUUM as well; that is its
 * operators' job (autovacuum) and is documented, not handled here.
 */
export async function enableSecureDelete(
  database: DatabaseService,
  logger: LoggerService,
): Promise<boolean> {
  const knex = await database.getClient();
  const client = String((knex.client as any).config?.client ?? '');
  if (client !== 'better-sqlite3' && client !== 'sqlite3') return false;
  // Every new pooled connection gets it too (the pool keeps one; it may renew it).
  (knex.client as any).pool?.on?.(
    'createSuccess',
    (_id: unknown, connection: any) => {
      if (typeof connection?.pragma === 'function')
        connection.pragma('secure_delete = ON');
      else connection?.run?.('PRAGMA secure_delete = ON', () => {});
    },
  );
  await knex.raw('PRAGMA secure_delete = ON');
  const [state] = await knex.raw('PRAGMA secure_delete');
  const on = Number(Object.values(state ?? {})[0]) === 1;
  if (!on) {
    throw new Error(
      'SQLite refused PRAGMA secure_delete; template secrets could linger in the scaffolder database file',
    );
  }
  await knex.raw('VACUUM');
  logger.info(
    'Scaffolder database: SQLite secure_delete is on, so claimed task secrets are erased from the file',
  );
  return true;
}
