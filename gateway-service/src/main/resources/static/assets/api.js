// Same-origin JSON calls to the gateway. Authentication is the HttpOnly SESSION cookie the
// login sets: the console never sees or stores the token.

import { parseRetryAfter } from './util.js';

/** Longer than the gateway's own 10 s response timeout, so its 504 normally arrives first. */
const TIMEOUT_MS = 20000;

/** No HTTP answer at all: the network failed or the call timed out. */
export class NetworkError extends Error {}

/**
 * One call. Resolves for every HTTP status with
 * {status, ok, data, problem, retryAfter (seconds or null), requestId, location};
 * rejects with NetworkError only when no answer came.
 */
export async function request(method, path, { body, headers = {} } = {}) {
  const init = {
    method,
    credentials: 'same-origin',
    cache: 'no-store',
    headers: { Accept: 'application/json, application/problem+json', ...headers },
  };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (typeof AbortSignal.timeout === 'function') {
    init.signal = AbortSignal.timeout(TIMEOUT_MS);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new NetworkError(error?.name === 'TimeoutError'
      ? 'The gateway did not answer in time.'
      : 'The gateway cannot be reached.');
  }
  let data = null;
  if (response.status !== 204 && (response.headers.get('Content-Type') ?? '').includes('json')) {
    try {
      data = await response.json();
    } catch {
      data = null; // a truncated or non-JSON body: treated like no body
    }
  }
  return {
    status: response.status,
    ok: response.ok,
    data,
    // every error is application/problem+json; an empty object keeps callers simple otherwise
    problem: response.ok ? null : (data ?? {}),
    retryAfter: parseRetryAfter(response.headers.get('Retry-After')),
    requestId: response.headers.get('X-Request-Id'),
    location: response.headers.get('Location'),
  };
}
