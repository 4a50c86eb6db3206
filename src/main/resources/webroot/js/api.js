// REST client for /api/v1 with the bearer token kept in sessionStorage.

const TOKEN_KEY = 'parley.token';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
  }

  /** The route does not exist on this server (as opposed to an unknown meeting or file). */
  get noSuchEndpoint() {
    return this.status === 404 && /no such endpoint/i.test(this.message);
  }
}

export const session = {
  /** Set once signed in: renews the token (resolves true when a new one is in place). */
  renew: null,
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  set token(value) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
};

async function errorOf(response) {
  let code = null;
  let message = null;
  try {
    const body = await response.json();
    code = body?.error?.code ?? null;
    message = body?.error?.message ?? null;
  } catch (e) {
    // not JSON
  }
  return new ApiError(response.status, code, message || `${response.status} ${response.statusText}`);
}

/**
 * @param {string} method
 * @param {string} path under /api/v1
 * @param {{json?: any, body?: BodyInit, headers?: Record<string,string>, raw?: boolean, noRenew?: boolean}} options
 * A 401 (an expired token) renews the token once and tries again.
 */
export async function api(method, path, options = {}) {
  const headers = {...(options.headers || {})};
  const token = session.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  let body = options.body;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await fetch(`/api/v1${path}`, {method, headers, body});
  if (response.status === 401 && token && session.renew && !options.noRenew && !options.retried
    && !(body instanceof ReadableStream) && await session.renew()) {
    return api(method, path, {...options, retried: true});
  }
  if (!response.ok) throw await errorOf(response);
  if (options.raw) return response;
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : response.text();
}

export const get = (path, options) => api('GET', path, options);
export const post = (path, json, options = {}) => api('POST', path, {...options, json});
