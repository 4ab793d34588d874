// The console's calls to the gateway: request() (api.js) plus the handling every view
// shares — a network failure becomes a notice, a 401 while logged in ends the session, and
// problem+json answers are shown as notices.

import { NetworkError, request } from './api.js';

/**
 * notify: the notice function (dom.js createNotices).
 * onUnauthorized(): called for a 401 of a call that checks the session; returns true when
 * it ended a session (the call then gives null), false when nobody was logged in (the
 * caller gets the 401).
 */
export function createHttp({ notify, onUnauthorized }) {
  /**
   * One call: the answer of request(), or null when there was none (network failure,
   * shown as a notice unless quietNetwork) or when the call ended the session (401).
   * Calls that expect a 401 themselves (login, session check) pass sessionCheck: false.
   */
  async function call(method, path, { body, headers, quietNetwork = false, sessionCheck = true, networkHint = '' } = {}) {
    let answer;
    try {
      answer = await request(method, path, { body, headers });
    } catch (error) {
      if (!(error instanceof NetworkError)) {
        throw error;
      }
      if (!quietNetwork) {
        notify({ kind: 'error', title: 'Network error', detail: `${error.message} ${networkHint}`.trim() });
      }
      return null;
    }
    if (answer.status === 401 && sessionCheck && onUnauthorized()) {
      return null;
    }
    return answer;
  }

  /** Shows a problem+json answer (title, detail, field errors, Retry-After) as a notice. */
  function notifyProblem(answer, fallbackTitle = 'Request failed') {
    const problem = answer.problem ?? {};
    const lines = (Array.isArray(problem.errors) ? problem.errors : [])
      .map((error) => (error.field ? `${error.field}: ${error.message}` : String(error.message)));
    let detail = problem.detail ?? '';
    if (answer.retryAfter != null) {
      detail = `${detail} Try again in ${answer.retryAfter} s.`.trim();
    }
    notify({
      kind: 'error',
      title: problem.title ?? `${fallbackTitle} (HTTP ${answer.status})`,
      detail,
      lines,
      requestId: answer.requestId,
    });
  }

  return { call, notifyProblem };
}
