import { HttpError } from '../../http/Router';

/** The sim presents itself as GitHub Enterprise Server 3.14 (`/api/v3`). */
export const GHES_VERSION = '3.14.0';
const DOCS = 'https://docs.github.com/enterprise-server@3.14';

export function docsUrl(page: string) {
  return `${DOCS}/${page}`;
}

export type GithubValidationError = {
  resource: string;
  code: string;
  field?: string;
  message?: string;
};

/**
 * An error answered the way GitHub does: `message`, optional `errors`,
 * `documentation_url` and, since 2023, `status` as a string.
 */
export function githubError(
  status: number,
  message: string,
  page = 'rest',
  errors?: GithubValidationError[],
): HttpError {
  return new HttpError(status, message, {
    message,
    ...(errors ? { errors } : {}),
    documentation_url: docsUrl(page),
    status: String(status),
  });
}

export const notFound = (page = 'rest') => githubError(404, 'Not Found', page);

export function validationFailed(
  page: string,
  errors: GithubValidationError[],
) {
  return githubError(422, 'Validation Failed', page, errors);
}
