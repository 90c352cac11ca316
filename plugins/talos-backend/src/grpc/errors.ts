import { status, ServiceError } from '@grpc/grpc-js';
import type { TalosProblem } from '@homelab-portal/plugin-talos-common';

/** A failed Talos API call, with a message that says what to do about it. */
export class TalosCallError extends Error {
  name = 'TalosCallError';
  constructor(readonly problem: TalosProblem, readonly code?: number) {
    super(problem.message);
  }
}

export type CallContext = {
  /** What was asked, in words (`read the etcd members`). */
  what: string;
  /** The node the call was for (`node` metadata), or the endpoint. */
  node: string;
  endpoint: string;
  roles: string[];
  timeoutMs: number;
};

const SERVER_NOT_TRUSTED =
  /self[- ]signed|unable to verify|unable to get (local )?issuer|certificate signature failure|CERT_|certificate has expired|Hostname\/IP does not match|altnames/i;
const CLIENT_REFUSED =
  /alert (bad|unknown|certificate)|certificate required|bad certificate|unknown ca|handshake failed|tls: /i;

/** Turns a grpc-js error into a problem a homelab admin can act on. */
export function problemFrom(error: unknown, ctx: CallContext): TalosCallError {
  if (error instanceof TalosCallError) return error;
  const e = error as Partial<ServiceError>;
  const details = String(e.details ?? e.message ?? error);
  const code = e.code;
  const on =
    ctx.node === ctx.endpoint
      ? ctx.endpoint
      : `${ctx.node} (through ${ctx.endpoint})`;
  const make = (kind: TalosProblem['kind'], message: string) =>
    new TalosCallError({ kind, message }, code);
  switch (code) {
    case status.DEADLINE_EXCEEDED:
      return make(
        'timeout',
        `${on} did not answer within ${ctx.timeoutMs / 1000} s when asked to ${
          ctx.what
        }`,
      );
    case status.PERMISSION_DENIED: {
      const role = ctx.roles.join(', ') || 'no role';
      if (details === 'no request forwarding') {
        return make(
          'permission',
          `${ctx.endpoint} cannot forward calls to ${ctx.node}: it is a worker. List a control-plane node as the endpoint in the talosconfig`,
        );
      }
      const typeUnsupported = /resource type "(.*)" is not supported/.exec(
        details,
      );
      if (typeUnsupported) {
        return make(
          'permission',
          `${on} does not know resource type ${typeUnsupported[1]} (older Talos)`,
        );
      }
      return make(
        'permission',
        `the talosconfig's role (${role}) may not ${
          ctx.what
        } on ${on}: Talos answered "${details}"${
          ctx.roles.includes('os:admin')
            ? ''
            : '; this needs a talosconfig with role os:admin'
        }`,
      );
    }
    case status.UNIMPLEMENTED:
      return make('unimplemented', `${on}: ${details}`);
    case status.NOT_FOUND:
      return make('not-found', `${on}: ${details}`);
    case status.UNAUTHENTICATED:
      return make(
        'tls',
        `${on} refused the client certificate (${details}): use a talosconfig issued by this cluster's Talos CA`,
      );
    case status.INTERNAL:
      if (
        /pars|deserializ|decod|invalid wire|index out of range|illegal/i.test(
          details,
        )
      ) {
        return make(
          'malformed',
          `the answer of ${on} to "${ctx.what}" could not be decoded (${details})`,
        );
      }
      return make('error', `${on} failed to ${ctx.what}: ${details}`);
    case status.UNAVAILABLE:
    default: {
      if (SERVER_NOT_TRUSTED.test(details)) {
        return make(
          'tls',
          `the Talos API at ${
            ctx.endpoint
          } is not trusted: its certificate is not signed by the CA in the talosconfig (${lastError(
            details,
          )}). Check that the talosconfig belongs to this cluster`,
        );
      }
      if (CLIENT_REFUSED.test(details)) {
        return make(
          'tls',
          `the Talos API at ${
            ctx.endpoint
          } refused the client certificate (${lastError(
            details,
          )}): it must be issued by this cluster's Talos CA, with the client-auth usage`,
        );
      }
      const dialing = /dial tcp ([^ ]+):\d+: (?:connect: )?(.*?)"?$/.exec(
        details,
      );
      if (dialing) {
        return make(
          'unreachable',
          `${ctx.node} is unreachable: ${dialing[2]} (reported by ${ctx.endpoint})`,
        );
      }
      return make('unreachable', `${on} is unreachable: ${lastError(details)}`);
    }
  }
}

/** grpc-js wraps the socket error: "No connection established. Last error: Error: …". */
function lastError(details: string): string {
  const m = /Last error: (?:Error: )?(.*?)(?: \(.*\))?$/.exec(details);
  return (m ? m[1] : details).trim();
}
