// Signs in as a member of the household through the guest provider, the way
// the browser does, and calls the backend API with that identity. The guest
// provider resolves the user through the catalog, so ownership (and so the
// permission policy's role) comes from catalog/org like a real sign-in.
import path from 'node:path';
import { repoRoot } from './stage.mjs';

export const testEntities = path.join(
  repoRoot,
  'test/replicas/fixtures/household-test-entities.yaml',
);

/** Overlay config for a portal whose guest sign-in is `userRef`. */
export function signInAs(userRef) {
  return {
    providers: {
      guest: {
        userEntityRef: userRef,
        // Only used before the catalog knows the user: nothing but itself,
        // so a too-early sign-in is powerless rather than an admin.
        ownershipEntityRefs: [userRef],
        dangerouslyAllowOutsideDevelopment: true,
      },
    },
  };
}

/** The household catalog plus the test template and a sealed-secret entity. */
export function catalogWithTestEntities() {
  return {
    locations: [
      { type: 'file', target: path.join(repoRoot, 'catalog-info.yaml') },
      { type: 'file', target: testEntities },
    ],
  };
}

/**
 * Signs in (guest refresh) until the catalog has resolved the user into
 * `group`; returns the Backstage token.
 */
export async function signInWhenMemberOf(portal, group, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    const res = await fetch(`${portal.baseUrl}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    if (res.ok) {
      const { backstageIdentity } = await res.json();
      last = backstageIdentity.identity;
      if (last.ownershipEntityRefs.includes(group)) {
        return backstageIdentity.token;
      }
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(
    `never signed in as a member of ${group}; last identity ${JSON.stringify(
      last,
    )}`,
  );
}

/** A fetch against the portal with a token (or none); JSON in, status + body out. */
export async function call(portal, token, method, pathAndQuery, body) {
  const headers = { 'x-requested-with': 'XMLHttpRequest' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${portal.baseUrl}${pathAndQuery}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text };
}

/**
 * Asks the permission backend for decisions, as the frontend's usePermission
 * does; a `resourceRef` goes with its request (resource permissions).
 */
export async function decisions(portal, token, permissions) {
  const { status, json, text } = await call(
    portal,
    token,
    'POST',
    '/api/permission/authorize',
    {
      items: permissions.map(({ resourceRef, ...p }, i) => ({
        id: String(i),
        permission: { type: 'basic', attributes: {}, ...p },
        ...(resourceRef && { resourceRef }),
      })),
    },
  );
  if (status !== 200) throw new Error(`authorize: HTTP ${status} ${text}`);
  return Object.fromEntries(
    json.items.map((item, i) => [permissions[i].name, item.result]),
  );
}

/** Runs a template through the scaffolder API and waits for the task to end. */
export async function runTemplate(portal, token, values, timeoutMs = 120_000) {
  const created = await call(
    portal,
    token,
    'POST',
    '/api/scaffolder/v2/tasks',
    {
      templateRef: 'template:default/test-echo',
      values,
    },
  );
  if (created.status !== 201) return { created };
  const taskId = created.json.id;
  const task = await waitForTask(portal, token, taskId, timeoutMs);
  return { created, taskId, task };
}

export async function waitForTask(portal, token, taskId, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { json } = await call(
      portal,
      token,
      'GET',
      `/api/scaffolder/v2/tasks/${taskId}`,
    );
    if (json && ['completed', 'failed', 'cancelled'].includes(json.status)) {
      return json;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `task ${taskId} still ${json?.status} after ${timeoutMs} ms`,
      );
    }
    await new Promise(r => setTimeout(r, 500));
  }
}

/** Lines the backend logged at warn or error level since `offset`. */
export function warningsIn(portal, offset = 0) {
  return portal
    .logText()
    .slice(offset)
    .split('\n')
    .filter(line => /"level":"(warn|error)"/.test(line))
    .filter(line => !CLIENT_WENT_AWAY.test(line));
}

// A browser closing a tab while a request body is on its way: body-parser
// finds the request stream already gone and Backstage logs it as a 500. The
// client left; nothing in the portal failed (tests close browser contexts
// that may still be saving a user setting).
const CLIENT_WENT_AWAY = /"type":"(stream\.not\.readable|request\.aborted)"/;
