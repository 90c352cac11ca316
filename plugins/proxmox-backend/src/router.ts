import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, toError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  parseUpid,
  proxmoxEntityRef,
  proxmoxGuestPowerPermission,
  proxmoxPowerActions,
  proxmoxReadPermission,
  ProxmoxTaskStatusResponse,
} from '@homelab-portal/plugin-proxmox-common';
import {
  ProxmoxApiError,
  toBackstageError,
} from '@homelab-portal/plugin-proxmox-node';
import express, { ErrorRequestHandler, Request, Response } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { PowerActionStore } from './database/PowerActionStore';
import { parseInput as parse } from './lib/parseInput';
import { PowerActions } from './service/PowerActions';
import { taskStatusSummary } from './service/mappers/task';
import { ProxmoxViews } from './service/ProxmoxViews';

export type RouterOptions = {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  views: ProxmoxViews;
  powerActions: PowerActions;
  store: PowerActionStore;
};

const instanceId = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'an instance id');
const vmid = z.coerce.number().int().min(100).max(999999999);
const timeframe = z
  .enum(['hour', 'day', 'week', 'month', 'year'])
  .default('hour');
const nodeName = z
  .string()
  .regex(/^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/, 'a node name');

/** Route parameters, each checked once by its `router.param` handler. */
type Target = { instance: string; vmid: number; node: string };
const target = (res: Response) => res.locals as Target;

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, auditor, views, powerActions, store } =
    options;
  const router = Router();
  router.use(express.json());

  // Every route but /health answers signed-in users only.
  const user = (req: Request) => httpAuth.credentials(req, { allow: ['user'] });
  /** A signed-in user allowed proxmox.read (every read route). */
  const reader = async (req: Request) => {
    const credentials = await user(req);
    const [decision] = await permissions.authorize(
      [{ permission: proxmoxReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not see Proxmox (permission ${proxmoxReadPermission.name}); ask a home admin`,
      );
    }
    return credentials;
  };

  router.param('instance', (_req, res, next, value) => {
    res.locals.instance = parse(instanceId, value, 'instance');
    next();
  });
  router.param('vmid', (_req, res, next, value) => {
    res.locals.vmid = parse(vmid, value, 'VMID');
    next();
  });
  router.param('node', (_req, res, next, value) => {
    res.locals.node = parse(nodeName, value, 'node');
    next();
  });

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/instances', async (req, res) => {
    await reader(req);
    res.json({ instances: views.instances() });
  });

  router.get('/instances/:instance/overview', async (req, res) => {
    await reader(req);
    res.json(await views.overview(target(res).instance));
  });

  router.get('/instances/:instance/nodes/:node', async (req, res) => {
    await reader(req);
    const q = parse(z.object({ timeframe }).strict(), req.query, 'query');
    res.json(
      await views.node(target(res).instance, target(res).node, q.timeframe),
    );
  });

  router.get('/instances/:instance/guests', async (req, res) => {
    await reader(req);
    res.json(await views.guests(target(res).instance));
  });

  router.get('/instances/:instance/guests/:vmid', async (req, res) => {
    await reader(req);
    res.json(await views.guest(target(res).instance, target(res).vmid));
  });

  router.get('/instances/:instance/guests/:vmid/rrd', async (req, res) => {
    await reader(req);
    const q = parse(z.object({ timeframe }).strict(), req.query, 'query');
    res.json(
      await views.guestRrd(target(res).instance, target(res).vmid, q.timeframe),
    );
  });

  router.get('/instances/:instance/guests/:vmid/backups', async (req, res) => {
    await reader(req);
    res.json(await views.guestBackups(target(res).instance, target(res).vmid));
  });

  router.get('/instances/:instance/guests/:vmid/tasks', async (req, res) => {
    await reader(req);
    res.json(await views.guestTasks(target(res).instance, target(res).vmid));
  });

  router.get(
    '/instances/:instance/guests/:vmid/power-actions',
    async (req, res) => {
      await reader(req);
      const id = target(res).instance;
      const records = await store.forGuest(id, target(res).vmid);
      res.json({ actions: records });
    },
  );

  router.post(
    '/instances/:instance/guests/:vmid/power/:action',
    async (req, res) => {
      const credentials = await reader(req);
      const id = target(res).instance;
      const guestId = target(res).vmid;
      const action = parse(
        z.enum(proxmoxPowerActions as [string, ...string[]]),
        req.params.action,
        'power action',
      ) as (typeof proxmoxPowerActions)[number];
      const event = await auditor.createEvent({
        eventId: 'guest-power-action',
        severityLevel: 'medium',
        request: req,
        meta: { instance: id, vmid: guestId, action },
      });
      try {
        // The guest's node and type come from Proxmox, never from the caller.
        const { guest } = await views.findGuest(views.getInstance(id), guestId);
        // Keyed by the guest's catalog entity: a policy may exclude guests.
        const resourceRef = proxmoxEntityRef({
          instance: id,
          kind: guest.type,
          vmid: guestId,
        });
        const [decision] = await permissions.authorize(
          [{ permission: proxmoxGuestPowerPermission, resourceRef }],
          { credentials },
        );
        if (decision.result !== AuthorizeResult.ALLOW) {
          throw new NotAllowedError(
            `You may not ${action} ${resourceRef} (permission ${proxmoxGuestPowerPermission.name})`,
          );
        }
        const result = await powerActions.run({
          instance: id,
          node: guest.node,
          vmid: guestId,
          guestType: guest.type,
          action,
          actor: credentials.principal.userEntityRef,
        });
        await event.success({
          meta: { upid: result.upid, recordId: result.record.id },
        });
        res.status(202).json(result);
      } catch (error) {
        await event.fail({ error: toError(error) });
        throw error;
      }
    },
  );

  router.get('/instances/:instance/tasks', async (req, res) => {
    await reader(req);
    const q = parse(
      z
        .object({ limit: z.coerce.number().int().min(1).max(200).default(30) })
        .strict(),
      req.query,
      'query',
    );
    res.json(await views.recentTasks(target(res).instance, q.limit));
  });

  router.get('/instances/:instance/tasks/:upid', async (req, res) => {
    await reader(req);
    const id = target(res).instance;
    const upid = parseUpid(req.params.upid);
    if (!upid)
      throw new InputError(
        `Invalid task id: "${req.params.upid}" is not a Proxmox UPID`,
      );
    const status = await views.getInstance(id).taskStatus(upid.node, upid.upid);
    let record = await store.byUpid(upid.upid);
    if (record) record = await powerActions.update(record);
    const body: ProxmoxTaskStatusResponse = {
      task: taskStatusSummary(status),
      record,
    };
    res.json(body);
  });

  // Failed Proxmox calls become @backstage/errors classes, which the
  // backend's error handler answers with the public message (no host address
  // or token id). The full message is for whoever runs the portal: logged
  // here, as a warning only when the fault is upstream.
  const proxmoxErrors: ErrorRequestHandler = (error, req, _res, next) => {
    if (!(error instanceof ProxmoxApiError)) {
      next(error);
      return;
    }
    const answer = toBackstageError(error);
    const upstream = !['NotFoundError', 'ConflictError'].includes(answer.name);
    (upstream ? options.logger.warn : options.logger.info).call(
      options.logger,
      `${req.method} ${req.path}: ${error.message}`,
    );
    next(answer);
  };
  router.use(proxmoxErrors);
  return router;
}
