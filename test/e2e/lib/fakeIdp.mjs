// A small OpenID Connect provider that behaves the way Authelia does where it
// matters to Backstage's oidc provider: discovery, PKCE (S256) required,
// prompt=none answered with login_required when nobody is signed in,
// client_secret_basic at the token endpoint, RS256 ID tokens, refresh tokens
// only with offline_access, and claims (email, email_verified) from the
// userinfo endpoint. A login form stands in for the IdP's login page.
// Test double only: plain HTTP on 127.0.0.1, users in memory.
import crypto from 'node:crypto';
import http from 'node:http';

const b64url = buf => Buffer.from(buf).toString('base64url');

export class FakeIdp {
  /**
   * @param users username → { email, emailVerified, name }
   * @param client { id, secret, redirectUri }
   */
  constructor({ users, client }) {
    this.users = users;
    this.client = client;
    this.requests = []; // every authorization request, for the tests
    this.codes = new Map();
    this.tokens = new Map(); // access token → username
    this.refreshTokens = new Map();
    const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', {
      modulusLength: 2048,
    });
    this.privateKey = privateKey;
    this.jwk = {
      ...publicKey.export({ format: 'jwk' }),
      kid: 'k1',
      alg: 'RS256',
      use: 'sig',
    };
  }

  async start() {
    this.server = http.createServer((req, res) =>
      this.#handle(req, res).catch(error => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      }),
    );
    await new Promise(r => this.server.listen(0, '127.0.0.1', r));
    this.issuer = `http://127.0.0.1:${this.server.address().port}`;
    return this;
  }

  get metadataUrl() {
    return `${this.issuer}/.well-known/openid-configuration`;
  }

  async stop() {
    this.server?.closeAllConnections();
    await new Promise(r => this.server?.close(r) ?? r());
  }

  async #handle(req, res) {
    const url = new URL(req.url, this.issuer);
    const json = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer: this.issuer,
        authorization_endpoint: `${this.issuer}/authorize`,
        token_endpoint: `${this.issuer}/token`,
        userinfo_endpoint: `${this.issuer}/userinfo`,
        jwks_uri: `${this.issuer}/jwks`,
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        code_challenge_methods_supported: ['S256'],
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
        subject_types_supported: ['public'],
      });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [this.jwk] });
    if (url.pathname === '/authorize' && req.method === 'GET') {
      return this.#authorize(url, res);
    }
    if (url.pathname === '/login' && req.method === 'POST') {
      const form = new URLSearchParams(await body(req));
      const request = JSON.parse(Buffer.from(form.get('request'), 'base64url'));
      const username = form.get('username');
      if (!this.users[username]) {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end(`<p>Unknown user ${escape(username)}</p>`);
      }
      return this.#redirectWithCode(res, request, username);
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      return this.#token(req, json);
    }
    if (url.pathname === '/userinfo') {
      const username = this.tokens.get(
        (req.headers.authorization ?? '').replace(/^Bearer /, ''),
      );
      if (!username) return json(401, { error: 'invalid_token' });
      const user = this.users[username];
      return json(200, {
        sub: username,
        preferred_username: username,
        name: user.name,
        email: user.email,
        email_verified: user.emailVerified,
      });
    }
    res.writeHead(404);
    return res.end();
  }

  #authorize(url, res) {
    const p = Object.fromEntries(url.searchParams);
    this.requests.push(p);
    const fail = error => {
      const to = new URL(p.redirect_uri);
      to.searchParams.set('error', error);
      if (p.state) to.searchParams.set('state', p.state);
      res.writeHead(302, { location: to.toString() });
      res.end();
    };
    if (
      p.client_id !== this.client.id ||
      p.redirect_uri !== this.client.redirectUri
    ) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      return res.end('unknown client or redirect_uri not registered');
    }
    if (!p.code_challenge || p.code_challenge_method !== 'S256') {
      return fail('invalid_request');
    }
    // Nobody is signed in at the IdP in a fresh browser.
    if (p.prompt === 'none') return fail('login_required');
    const request = b64url(JSON.stringify(p));
    res.writeHead(200, { 'content-type': 'text/html' });
    return res.end(`<!doctype html><title>Household sign-in</title>
<form method="post" action="/login">
  <input type="hidden" name="request" value="${request}">
  <label>Username <input name="username" autofocus></label>
  <button type="submit">Sign in</button>
</form>`);
  }

  #redirectWithCode(res, request, username) {
    const code = b64url(crypto.randomBytes(16));
    this.codes.set(code, { request, username });
    const to = new URL(request.redirect_uri);
    to.searchParams.set('code', code);
    to.searchParams.set('state', request.state);
    res.writeHead(302, { location: to.toString() });
    res.end();
  }

  async #token(req, json) {
    const [id, secret] = Buffer.from(
      (req.headers.authorization ?? '').replace(/^Basic /, ''),
      'base64',
    )
      .toString()
      .split(':')
      .map(decodeURIComponent);
    if (id !== this.client.id || secret !== this.client.secret) {
      return json(401, { error: 'invalid_client' });
    }
    const form = new URLSearchParams(await body(req));
    let username;
    let request;
    if (form.get('grant_type') === 'authorization_code') {
      const grant = this.codes.get(form.get('code'));
      this.codes.delete(form.get('code'));
      if (!grant) return json(400, { error: 'invalid_grant' });
      const challenge = b64url(
        crypto
          .createHash('sha256')
          .update(form.get('code_verifier') ?? '')
          .digest(),
      );
      if (challenge !== grant.request.code_challenge) {
        return json(400, { error: 'invalid_grant', error_description: 'PKCE' });
      }
      if (form.get('redirect_uri') !== grant.request.redirect_uri) {
        return json(400, { error: 'invalid_grant' });
      }
      ({ username, request } = grant);
    } else if (form.get('grant_type') === 'refresh_token') {
      const grant = this.refreshTokens.get(form.get('refresh_token'));
      if (!grant) return json(400, { error: 'invalid_grant' });
      ({ username, request } = grant);
    } else {
      return json(400, { error: 'unsupported_grant_type' });
    }
    const accessToken = b64url(crypto.randomBytes(24));
    this.tokens.set(accessToken, username);
    const scopes = (request.scope ?? '').split(' ');
    const out = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: 3600,
      scope: request.scope,
      id_token: this.#idToken(username, request.nonce),
    };
    if (scopes.includes('offline_access')) {
      const refreshToken = b64url(crypto.randomBytes(24));
      this.refreshTokens.set(refreshToken, { username, request });
      out.refresh_token = refreshToken;
    }
    return json(200, out);
  }

  #idToken(username, nonce) {
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(
      JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'k1' }),
    );
    const payload = b64url(
      JSON.stringify({
        iss: this.issuer,
        sub: username,
        aud: this.client.id,
        iat: now,
        exp: now + 3600,
        ...(nonce ? { nonce } : {}),
      }),
    );
    const signature = crypto.sign(
      'RSA-SHA256',
      Buffer.from(`${header}.${payload}`),
      this.privateKey,
    );
    return `${header}.${payload}.${b64url(signature)}`;
  }
}

function body(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', c => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function escape(s) {
  return String(s).replace(/[&<>"]/g, c => `&#${c.charCodeAt(0)};`);
}
