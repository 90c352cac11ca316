import {
  ConflictError,
  CustomErrorBase,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { ProxmoxApiError } from './errors';

/**
 * Proxmox answered, but not usefully: the token was refused, a privilege is
 * missing, the certificate is not trusted, or the answer made no sense.
 * Answered as 502 Bad Gateway: the fault is upstream, not in the request.
 *
 * @public
 */
export class ProxmoxUpstreamError extends CustomErrorBase {
  name = 'ProxmoxUpstreamError' as const;
  readonly statusCode = 502;
}

/**
 * The `@backstage/errors` class for a failed Proxmox call, so a plugin's
 * router can let the backend's error handler answer it: not found 404,
 * refused as it stands 409, unreachable or busy 503, anything else 502. The
 * message is the public one, without the Proxmox host's address or the
 * token id, which stay in `error.message` for the log. No cause is attached:
 * it would repeat the message ("…; caused by …") to the user.
 *
 * @public
 */
export function toBackstageError(error: ProxmoxApiError): Error {
  const message = error.publicMessage;
  switch (error.kind) {
    case 'not-found':
      return new NotFoundError(message);
    case 'conflict':
      return new ConflictError(message);
    case 'unreachable':
    case 'timeout':
    case 'node-offline':
      return new ServiceUnavailableError(message);
    default:
      return new ProxmoxUpstreamError(message);
  }
}
