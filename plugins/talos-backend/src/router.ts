import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, toError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { talosClusterReadPermission } from '@homelab-portal/plugin-talos-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { parseInput as parse } from './lib/parseInput';
import { TalosService } from './service/TalosService';

const clusterName = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'a cluster name: lower-case letters, digits and dashes',
  );
// A node is named as in the talosconfig: an IP address or a host name.
const nodeName = z
  .string()
  .max(253)
  .regex(/^[A-Za-z0-9.:_-]+$/, 'a node address or host name');

/**
 * The Talos routes. Every route (but /health) needs a signed-in user allowed
 * `talos.cluster.read`; none takes an address to connect to: callers name a
 * configured cluster and one of its nodes.
 */
export async function createRouter(options: {
  talos: TalosService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}): Promise<express.Router> {
  const { talos, httpAuth, permissions } = options;
  const router = Router();
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.use(async (req, _res, next) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const [decision] = await permissions.authorize(
      [{ permission: talosClusterReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        'You may not read Talos clusters (talos.cluster.read)',
      );
    }
    next();
  });

  router.get('/clusters', (_req, res) => {
    res.json({ clusters: talos.listClusters() });
  });

  router.get('/clusters/:cluster', async (req, res) => {
    const cluster = parse(clusterName, req.params.cluster, 'cluster');
    res.json(await talos.getCluster(cluster));
  });

  router.get('/clusters/:cluster/nodes/:node', async (req, res) => {
    const cluster = parse(clusterName, req.params.cluster, 'cluster');
    const node = parse(nodeName, req.params.node, 'node');
    res.json(await talos.getNode(cluster, node));
  });

  router.get('/entity', async (req, res) => {
    const raw = parse(
      z.string().min(1, 'required'),
      req.query.entityRef,
      'entityRef',
    );
    let ref: string;
    try {
      ref = stringifyEntityRef(parseEntityRef(raw));
    } catch (error) {
      throw new InputError(`entityRef: ${toError(error).message}`);
    }
    res.json(await talos.getForEntity(ref));
  });

  return router;
}
