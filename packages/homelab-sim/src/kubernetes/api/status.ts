import { HttpError } from '../../http/Router';

/** `reason` values of metav1.Status that the sim answers with. */
export type StatusReason =
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'BadRequest'
  | 'MethodNotAllowed'
  | 'AlreadyExists'
  | 'Invalid'
  | 'Expired'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'ServiceUnavailable'
  | 'InternalError';

/** A metav1.Status failure, the body every Kubernetes API error carries. */
export function statusBody(
  code: number,
  message: string,
  reason?: StatusReason,
  details?: Record<string, unknown>,
) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    ...(reason && { reason }),
    ...(details && { details }),
    code,
  };
}

const reasonFor = (code: number): StatusReason | undefined =>
  ((
    {
      400: 'BadRequest',
      401: 'Unauthorized',
      403: 'Forbidden',
      404: 'NotFound',
      405: 'MethodNotAllowed',
      406: 'NotAcceptable',
      409: 'AlreadyExists',
      410: 'Expired',
      415: 'UnsupportedMediaType',
      422: 'Invalid',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    } as Record<number, StatusReason>
  )[code]);

/** Error body for SimServer's `errorBody` (faults, unknown routes). */
export function kubernetesErrorBody(code: number, message: string) {
  return statusBody(code, message, reasonFor(code));
}

/** Thrown by handlers: answered as a Status with the code. */
export class KubeError extends HttpError {
  constructor(
    code: number,
    message: string,
    reason?: StatusReason,
    details?: Record<string, unknown>,
  ) {
    super(
      code,
      message,
      statusBody(code, message, reason ?? reasonFor(code), details),
    );
  }
}

/** `pods "x" not found`, `deployments.apps "x" not found`. */
export function notFound(group: string, plural: string, name: string) {
  const qualified = group ? `${plural}.${group}` : plural;
  return new KubeError(404, `${qualified} "${name}" not found`, 'NotFound', {
    name,
    ...(group && { group }),
    kind: plural,
  });
}

/** The generic answer for a path the API server does not serve. */
export function resourceNotFound() {
  return new KubeError(
    404,
    'the server could not find the requested resource',
    'NotFound',
    {},
  );
}
