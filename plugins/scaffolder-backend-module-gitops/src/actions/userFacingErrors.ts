import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';

/** Refusals the person filling in the form can act on. */
const EXPECTED = new Set([
  'InputError',
  'GitopsInputError',
  'NotAllowedError',
  'NotFoundError',
  'ConflictError',
  'ServiceUnavailableError',
]);

/**
 * The scaffolder writes a failed step's `error.stack` into the task log (and
 * a dry run's answer): frames with the backend's file paths, and for a
 * refusal nothing the reader needs. The actions' errors reach it as
 * "<name>: <message>" only. Unexpected errors keep their stack in the
 * backend log, where whoever runs the portal can read it.
 */
export function withUserFacingErrors<T extends TemplateAction<any, any, any>>(
  action: T,
  logger: LoggerService,
): T {
  return {
    ...action,
    async handler(ctx) {
      try {
        return await action.handler(ctx);
      } catch (error) {
        if (!isError(error)) throw error;
        if (!EXPECTED.has(error.name)) {
          logger.error(`Action ${action.id} failed`, error);
        }
        const plain = new Error(error.message);
        plain.name = error.name;
        plain.stack = `${error.name}: ${error.message}`;
        throw plain;
      }
    },
  };
}
