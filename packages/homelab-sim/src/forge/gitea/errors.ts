import { HttpError } from '../../http/Router';

/** `{ message, url }` with the swagger URL, as Gitea's `ctx.Error` writes it (APIError). */
export function giteaError(
  status: number,
  message: string,
  swaggerUrl: string,
): HttpError {
  return new HttpError(status, message, { message, url: swaggerUrl });
}

/**
 * Gitea's `ctx.NotFound`: the default message is the translated
 * `error.not_found`; a string argument replaces it, errors are listed.
 */
export function giteaNotFound(
  swaggerUrl: string,
  message = "The target couldn't be found.",
  errors: string[] | null = null,
): HttpError {
  return new HttpError(404, message, { errors, message, url: swaggerUrl });
}
