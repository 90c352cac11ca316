import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { gitopsStatusReadPermission } from '@homelab-portal/plugin-gitops-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { certificatesOf } from './service/certificates';
import { allDeliveries, deliveriesOf } from './service/deliveries';
import { driftOf } from './service/drift';
import { routesOf } from './service/routes';
import { SnapshotSource } from './service/Snapshot';
import { openPulls, pendingUpdates } from './service/updates';

const appName = z
  .string({
    error: issue => (issue.input === undefined ? 'required' : undefined),
  })
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'an app name: lower-case letters, digits and dashes',
  );

function appParam(value: unknown): string {
  const r = appName.safeParse(value);
  if (!r.success)
    throw new InputError(
      `app: ${r.error.issues.map(i => i.message).join(', ')}`,
    );
  return r.data;
}

/**
 * The GitOps routes. Every route (but /health) needs a signed-in user
 * allowed `gitops.status.read`. Answers carry `checkedAt` and the sources
 * that could not be read; a source that is down never fails the request.
 */
export async function createRouter(options: {
  snapshots: SnapshotSource;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  now?: () => number;
}): Promise<express.Router> {
  const { snapshots, httpAuth, permissions } = options;
  const now = options.now ?? Date.now;
  const router = Router();
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.use(async (req, _res, next) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const [decision] = await permissions.authorize(
      [{ permission: gitopsStatusReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW)
      throw new NotAllowedError(
        'You may not read delivery status (gitops.status.read)',
      );
    next();
  });

  const meta = (s: { checkedAt: string; errors: unknown[] }) => ({
    checkedAt: s.checkedAt,
    errors: s.errors,
  });

  router.get('/deliveries', async (req, res) => {
    const s = await snapshots.get();
    const apps =
      req.query.app !== undefined
        ? deliveriesOf(s, appParam(req.query.app))
        : allDeliveries(s);
    res.json({ apps, ...meta(s) });
  });

  router.get('/certificates', async (_req, res) => {
    const s = await snapshots.get();
    res.json({ certificates: certificatesOf(s, now()), ...meta(s) });
  });

  router.get('/updates', async (_req, res) => {
    const s = await snapshots.get();
    res.json({ updates: pendingUpdates(s), pulls: openPulls(s), ...meta(s) });
  });

  router.get('/drift', async (_req, res) => {
    const s = await snapshots.get();
    res.json({ items: driftOf(s), ...meta(s) });
  });

  router.get('/routes', async (req, res) => {
    const s = await snapshots.get();
    res.json({ routes: routesOf(s, appParam(req.query.app)), ...meta(s) });
  });

  return router;
}
