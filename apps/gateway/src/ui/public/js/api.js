/**
 * Calls to the gateway with the logged-in user's credentials. They are kept in sessionStorage
 * (this tab only, gone when it closes) and sent as HTTP Basic on every request, exactly as an API
 * client would; no cookie is involved, so no other site can make the browser act for the user.
 */

const STORAGE_KEY = 'fleetwave.credentials';
const listeners = new Set();

function encodeBasic(user, password) {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

export const session = {
  /** The Authorization header value, or undefined when nobody is logged in. */
  authorization() {
    return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
  },
  save(user, password) {
    sessionStorage.setItem(STORAGE_KEY, encodeBasic(user, password));
  },
  clear() {
    sessionStorage.removeItem(STORAGE_KEY);
    for (const listener of listeners) listener();
  },
  /** Calls `listener` when the credentials stop working (or the user logs out). */
  onEnd(listener) {
    listeners.add(listener);
  },
};

/** Checks credentials against the gateway; resolves the user (name, permissions) or throws. */
export async function logIn(user, password) {
  const response = await fetch('/ui/api/me', { headers: { authorization: encodeBasic(user, password) } });
  if (response.status === 401) throw new Error('Unknown user or wrong password');
  if (!response.ok) throw new Error(`The gateway answered ${response.status}`);
  session.save(user, password);
  return response.json();
}

/** The logged-in user (name, permissions), or undefined when the stored credentials are missing or stale. */
export async function currentUser() {
  const authorization = session.authorization();
  if (!authorization) return undefined;
  const response = await fetch('/ui/api/me', { headers: { authorization } });
  if (!response.ok) return undefined;
  return response.json();
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `request failed with ${status}`);
    this.status = status;
    this.body = body;
  }
}

/**
 * A Management API call (`path` below /rest/v1); resolves the parsed body, rejects with an
 * ApiError. A 401 means the credentials no longer work: the session ends and the log-in returns.
 */
export async function api(method, path, body) {
  const headers = { authorization: session.authorization() ?? '', accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`/rest/v1${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = { message: text };
  }
  if (response.status === 401) session.clear();
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

/** Like {@link api} for a GET, but resolves undefined on a 404 (an endpoint this cluster does not have yet). */
export async function optionalGet(path) {
  try {
    return await api('GET', path);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}
