import { toError } from '@backstage/errors';
import { FaultController } from '../faults/FaultController';
import { HttpError, Router, sendJson } from '../http/Router';
import { SimServer } from '../http/SimServer';
import { SimContext, StartedService } from '../SimContext';

/**
 * The sim's control API (HTTPS, bearer token from `<state>/admin/token`):
 *   GET    /health             liveness
 *   GET    /endpoints          what every service serves
 *   GET    /faults             current fault rules
 *   POST   /faults             add a rule (FaultRule JSON) → 201 with its id
 *   DELETE /faults/:id         remove one rule
 *   DELETE /faults             remove all (or ?service=x)
 */
export async function startAdmin(
  ctx: SimContext,
  port: number,
  services: () => StartedService[],
): Promise<StartedService> {
  const token = ctx.state.token('admin/token');
  const router = new Router()
    .get('/health', (_req, res) => sendJson(res, 200, { status: 'ok' }))
    .get('/endpoints', (_req, res) =>
      sendJson(
        res,
        200,
        services().map(s => ({ name: s.name, url: s.url, serves: s.describe })),
      ),
    )
    .get('/faults', (_req, res) => sendJson(res, 200, ctx.faults.list()))
    .post('/faults', async (req, res) => {
      let rule;
      try {
        rule = FaultController.validate(await req.json());
      } catch (error) {
        throw new HttpError(400, toError(error).message);
      }
      sendJson(res, 201, ctx.faults.add(rule));
    })
    .delete('/faults/:id', (req, res) => {
      if (!ctx.faults.remove(req.params.id))
        throw new HttpError(404, `no fault rule ${req.params.id}`);
      res.writeHead(204).end();
    })
    .delete('/faults', (req, res) => {
      ctx.faults.clear(req.query.get('service') ?? undefined);
      res.writeHead(204).end();
    });
  const tls = await ctx.ca.issueServer('homelab-sim admin');
  const server = new SimServer({
    service: 'admin',
    router,
    // The admin API must stay reachable whatever faults are set.
    faults: new FaultController(),
    tls,
    authenticate: req => {
      if (req.pathname === '/health') return;
      if (req.headers.authorization !== `Bearer ${token}`) {
        throw new HttpError(
          401,
          'admin token required (see <state>/admin/token)',
        );
      }
    },
  });
  await server.listen(port);
  return {
    name: 'admin',
    url: server.url,
    describe: ['GET /health', 'GET /endpoints', 'GET|POST|DELETE /faults'],
    close: () => server.close(),
  };
}
