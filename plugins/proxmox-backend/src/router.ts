import {
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  isTaskSuccess,
  parseUpid,
  proxmoxEntityRef,
  proxmoxGuestPowerPermission,
  proxmoxPowerActions,
  proxmoxReadPermission,
  ProxmoxTaskStatusResponse,
} from '@homelab-portal/plugin-proxmox-common';
import { ProxmoxApiError } from '@homelab-portal/plugin-proxmox-node';
import express, { ErrorRequestHandler, Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { PowerActionStore } from './database/PowerActionStore';
import { PowerActions } from './service/PowerActions';
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

function parse<T extends z.ZodTypeAny>(
  schema: T,
  value: unknown,
  what: string,
): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(
      `Invalid ${what}: ${
        issue.path.join('.') || 'value'
      } ${issue.message.toLowerCase()}`,
    );
  }
  return r.data;
}

/** Upstream failures map to 502/503/404/409 with the actionable message. */
const upstreamStatus: Record<string, number> = {
  'not-found': 404,
  conflict: 409,
  unreachable: 503,
  timeout: 503,
  'node-offline': 503,
};

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

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/instances', async (req, res) => {
    await reader(req);
    res.json({ instances: views.instances() });
  });

  router.get('/instances/:instance/overview', async (req, res) => {
    await reader(req);
    res.json(
      await views.overview(parse(instanceId, req.params.instance, 'instance')),
    );
  });

  router.get('/instances/:instance/nodes/:node', async (req, res) => {
    await reader(req);
    const q = parse(z.object({ timeframe }).strict(), req.query, 'query');
    res.json(
      await views.node(
        parse(instanceId, req.params.instance, 'instance'),
        parse(
          z
            .string()
            .regex(/^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/, 'a node name'),
          req.params.node,
          'node',
        ),
        q.timeframe,
      ),
    );
  });

  router.get('/instances/:instance/guests', async (req, res) => {
    await reader(req);
    res.json(
      await views.guests(parse(instanceId, req.params.instance, 'instance')),
    );
  });

  router.get('/instances/:instance/guests/:vmid', async (req, res) => {
    await reader(req);
    res.json(
      await views.guest(
        parse(instanceId, req.params.instance, 'instance'),
        parse(vmid, req.params.vmid, 'VMID'),
      ),
    );
  });

  router.get('/instances/:instance/guests/:vmid/rrd', async (req, res) => {
    await reader(req);
    const q = parse(z.object({ timeframe }).strict(), req.query, 'query');
    res.json(
      await views.guestRrd(
        parse(instanceId, req.params.instance, 'instance'),
        parse(vmid, req.params.vmid, 'VMID'),
        q.timeframe,
      ),
    );
  });

  router.get('/instances/:instance/guests/:vmid/backups', async (req, res) => {
    await reader(req);
    res.json(
      await views.guestBackups(
        parse(instanceId, req.params.instance, 'instance'),
        parse(vmid, req.params.vmid, 'VMID'),
      ),
    );
  });

  router.get('/instances/:instance/guests/:vmid/tasks', async (req, res) => {
    await reader(req);
    res.json(
      await views.guestTasks(
        parse(instanceId, req.params.instance, 'instance'),
        parse(vmid, req.params.vmid, 'VMID'),
      ),
    );
  });

  router.get(
    '/instances/:instance/guests/:vmid/power-actions',
    async (req, res) => {
      await reader(req);
      const id = parse(instanceId, req.params.instance, 'instance');
      const records = await store.forGuest(
        id,
        parse(vmid, req.params.vmid, 'VMID'),
      );
      res.json({ actions: records });
    },
  );

  router.post(
    '/instances/:instance/guests/:vmid/power/:action',
    async (req, res) => {
      const credentials = await reader(req);
      const id = parse(instanceId, req.params.instance, 'instance');
      const guestId = parse(vmid, req.params.vmid, 'VMID');
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
        await event.fail({ error: error as Error });
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
    res.json(
      await views.recentTasks(
        parse(instanceId, req.params.instance, 'instance'),
        q.limit,
      ),
    );
  });

  router.get('/instances/:instance/tasks/:upid', async (req, res) => {
    await reader(req);
    const id = parse(instanceId, req.params.instance, 'instance');
    const upid = parseUpid(req.params.upid);
    if (!upid)
      throw new InputError(
        `Invalid task id: "${req.params.upid}" is not a Proxmox UPID`,
      );
    const status = await views.getInstance(id).taskStatus(upid.node, upid.upid);
    let record = await store.byUpid(upid.upid);
    if (record) record = await powerActions.update(record);
    const stopped = status.status === 'stopped';
    const body: ProxmoxTaskStatusResponse = {
      task: {
        upid: status.upid,
        node: status.node,
        type: status.type,
        id: status.id,
        user: status.user,
        starttime: status.starttime,
        status: status.status,
        exitstatus: status.exitstatus,
        ok: stopped ? isTaskSuccess(status.exitstatus) : undefined,
      },
      record,
    };
    res.json(body);
  });

  const proxmoxErrors: ErrorRequestHandler = (error, req, res, next) => {
    if (!(error instanceof ProxmoxApiError)) {
      next(error);
      return;
    }
    const status = upstreamStatus[error.kind] ?? 502;
    // The full message (host address, token id) is for whoever runs the
    // portal; a refusal such as "already running" is no fault of theirs.
    const log = status >= 500 ? options.logger.warn : options.logger.info;
    log.call(options.logger, `${req.method} ${req.path}: ${error.message}`);
    res.status(status).json({
      error: {
        name: 'ProxmoxError',
        message: error.publicMessage,
        kind: error.kind,
      },
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode: status },
    });
  };
  router.use(proxmoxErrors);
  return router;
}
