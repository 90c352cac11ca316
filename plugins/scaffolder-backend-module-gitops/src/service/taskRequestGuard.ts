import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express, { NextFunction, Request, Response } from 'express';
import { secretSizeProblems } from '../lib/secretLimits';
import { describeFormErrors, isSchemaErrorList } from './formErrors';

/** The scaffolder routes that take template values and secrets. */
const TASK_ROUTES = ['/v2/tasks', '/v2/dry-run', '/v2/tasks/:taskId/retry'];

type Parameters = { properties?: Record<string, { title?: string }> };

/**
 * Runs in front of the scaffolder's own routes (this module's httpRouter is
 * the scaffolder plugin's, and modules start before their plugin):
 *
 * - refuses a request whose secrets are too large (secretLimits.ts says why)
 *   before the scaffolder stores them or builds its redaction pattern;
 * - turns the scaffolder's 400 answer to a bad form (jsonschema errors) into
 *   sentences naming each field by its title.
 *
 * Everything else goes to the scaffolder untouched; this never accepts what
 * the scaffolder would refuse.
 */
export function createTaskRequestGuard(options: {
  httpAuth: HttpAuthService;
  catalog: CatalogService;
  logger: LoggerService;
}): express.Router {
  const router = express.Router();
  // The scaffolder's own limit; its parser skips a body parsed here.
  router.post(TASK_ROUTES, express.json({ limit: '10MB' }), refuseLargeSecrets);
  router.post(TASK_ROUTES, readableFormErrors);
  return router;

  async function refuseLargeSecrets(
    req: Request,
    res: Response,
    next: NextFunction,
  ) {
    const secrets = req.body?.secrets;
    if (!secrets || typeof secrets !== 'object') {
      next();
      return;
    }
    const problems = secretSizeProblems(secrets, key => key);
    if (problems.length === 0) {
      next();
      return;
    }
    const titles = await fieldTitles(req).catch(() => new Map());
    const message = `The secrets of this form were not accepted: ${secretSizeProblems(
      secrets,
      key => `"${titles.get(key) ?? key}"`,
    ).join('; ')}. Nothing was run or stored.`;
    options.logger.info(
      `Refused a scaffolder request with oversized secrets (${Object.keys(
        secrets,
      ).join(', ')})`,
    );
    res.status(400).json({
      error: { name: 'InputError', message },
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode: 400 },
    });
  }

  /** Field titles of the template the request is for (dry-runs carry it). */
  async function fieldTitles(req: Request): Promise<Map<string, string>> {
    let parameters: unknown = req.body?.template?.spec?.parameters;
    if (!parameters && typeof req.body?.templateRef === 'string') {
      const template = await options.catalog.getEntityByRef(
        req.body.templateRef,
        { credentials: await options.httpAuth.credentials(req) },
      );
      parameters = template?.spec?.parameters;
    }
    const titles = new Map<string, string>();
    for (const step of [parameters ?? []].flat() as Parameters[]) {
      for (const [key, field] of Object.entries(step?.properties ?? {}))
        if (field?.title) titles.set(key, field.title);
    }
    return titles;
  }

  function readableFormErrors(req: Request, res: Response, next: NextFunction) {
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (res.statusCode !== 400 || !isSchemaErrorList(body)) return json(body);
      const sentences = describeFormErrors(body.errors, req.body?.values);
      return json({
        error: {
          name: 'InputError',
          message: `The form has problems: ${sentences.join('; ')}`,
        },
        request: { method: req.method, url: req.originalUrl },
        response: { statusCode: 400 },
      });
    };
    next();
  }
}
