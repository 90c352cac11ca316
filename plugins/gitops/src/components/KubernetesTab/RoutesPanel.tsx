import { InfoCard, Link } from '@backstage/core-components';
import type { RouteStatus } from '@homelab-portal/plugin-gitops-common';
import {
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';

/** HTTPRoutes and their Gateways with every status condition, per parent or listener. */
export function RoutesPanel(props: { routes: RouteStatus[] }) {
  return (
    <InfoCard title="Routes and Gateways" noPadding>
      {props.routes.length === 0 ? (
        <Typography variant="body2" style={{ padding: 16 }}>
          No HTTPRoute is labelled for this app: it is reachable inside the
          cluster only.
        </Typography>
      ) : (
        <Table size="small" data-testid="routes-table">
          <TableHead>
            <TableRow>
              <TableCell>Object</TableCell>
              <TableCell>Host names</TableCell>
              <TableCell>Parent / listener</TableCell>
              <TableCell>Conditions</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {props.routes.flatMap(r =>
              r.parents.map(p => (
                <TableRow key={`${r.kind}/${r.namespace}/${r.name}/${p.name}`}>
                  <TableCell>
                    {r.kind} {r.namespace}/{r.name}
                  </TableCell>
                  <TableCell>
                    {r.kind === 'HTTPRoute'
                      ? r.hostnames.map(h => (
                          <Link key={h} to={`https://${h}`}>
                            {h}{' '}
                          </Link>
                        ))
                      : r.hostnames.join(', ')}
                  </TableCell>
                  <TableCell>{p.name}</TableCell>
                  <TableCell>
                    {p.conditions.map(c => (
                      <Chip
                        key={c.type}
                        size="small"
                        title={c.message}
                        label={`${c.type}=${c.status}${
                          c.status === 'True' ? '' : ` (${c.reason})`
                        }`}
                        color={c.status === 'True' ? 'primary' : 'secondary'}
                        style={{ marginRight: 4 }}
                      />
                    ))}
                  </TableCell>
                </TableRow>
              )),
            )}
          </TableBody>
        </Table>
      )}
    </InfoCard>
  );
}
