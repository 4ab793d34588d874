// The account and the session: register, log in (with the lock-out countdown), log out, the
// session details, and the check that restores the logged-in view after a reload. The
// session itself is the HttpOnly SESSION cookie; this module keeps only what the gateway
// said about it ({username, roles, createdAt, lastAccessedAt, expiresAt}).

import { byId, setFieldError, timeElement } from './dom.js';
import { createEmitter } from './events.js';
import { validatePassword, validateUsername } from './util.js';

export const SESSION_ENDED = 'Your session has ended. Please log in again.';

/**
 * http: {call, notifyProblem} (http.js); notify: the notice function.
 * Events (on(type, listener)):
 *   started  {session, fresh}  logged in; fresh when nobody was logged in before
 *   ended                      logged out, expired, or another account took over
 *   leaving                    a logout is about to be sent
 *   stayed                     the logout failed: still logged in
 */
export function createSession({ http, notify }) {
  const events = createEmitter();
  const authSection = byId('auth-section');
  const sessionSection = byId('session-section');
  const userBox = byId('user-box');
  const currentUser = byId('current-user');

  let session = null;
  let loginLockedUntil = 0;
  let loginLockTimer = null;

  function isAdmin() {
    return Boolean(session?.roles?.includes('ADMIN'));
  }

  function start(details) {
    if (session && session.username !== details.username) {
      end(); // another account logged in from another tab
    }
    const fresh = session === null;
    session = details;
    render();
    events.emit('started', { session: details, fresh });
  }

  /** Forgets the session (the cookie is the gateway's business); message: a notice to show. */
  function end(message) {
    const wasLoggedIn = session !== null;
    session = null;
    render();
    events.emit('ended');
    if (wasLoggedIn && message) {
      notify({ kind: 'info', title: message });
    }
  }

  /** A call was refused with 401: ends the session; false when nobody was logged in. */
  function expire() {
    if (!session) {
      return false;
    }
    end(SESSION_ENDED);
    return true;
  }

  function render() {
    document.body.dataset.auth = session ? 'in' : 'out';
    authSection.hidden = Boolean(session);
    sessionSection.hidden = !session;
    userBox.hidden = !session;
    if (!session) {
      return;
    }
    const roles = Array.isArray(session.roles) ? session.roles : [];
    currentUser.textContent = session.username;
    currentUser.dataset.username = session.username;
    currentUser.dataset.roles = roles.join(',');
    byId('session-username').textContent = session.username;
    byId('session-roles').textContent = roles.join(', ') || '—';
    byId('session-created').replaceChildren(timeElement(session.createdAt));
    byId('session-last-accessed').replaceChildren(timeElement(session.lastAccessedAt));
    byId('session-expires').replaceChildren(timeElement(session.expiresAt));
  }

  /** 'ok' (and the details refreshed), 'ended' (401) or 'unknown' (no answer, 5xx). */
  async function check() {
    const answer = await http.call('GET', '/api/sessions/current', { quietNetwork: true, sessionCheck: false });
    if (answer?.ok) {
      start(answer.data);
      return 'ok';
    }
    return answer?.status === 401 ? 'ended' : 'unknown';
  }

  /** Start-up: restores the logged-in view after a reload; retries quietly while unknown. */
  async function restore(firstTry = true) {
    if (session) {
      return;
    }
    const answer = await http.call('GET', '/api/sessions/current', { quietNetwork: !firstTry, sessionCheck: false });
    if (answer?.ok) {
      start(answer.data);
      return;
    }
    render(); // logged out, or not known yet: the login forms are the useful view
    if (answer?.status === 401) {
      return;
    }
    if (answer && firstTry) {
      http.notifyProblem(answer, 'The session could not be checked');
    }
    // 503 (session store down at the edge) or no answer: the session may still be valid
    setTimeout(() => restore(false), Math.max(5, answer?.retryAfter ?? 0) * 1000);
  }

  async function register(event) {
    event.preventDefault();
    const username = byId('register-username');
    const password = byId('register-password');
    const status = byId('register-status');
    status.textContent = '';
    const usernameError = validateUsername(username.value);
    const passwordError = validatePassword(password.value);
    setFieldError(username, usernameError);
    setFieldError(password, passwordError);
    if (usernameError || passwordError) {
      (usernameError ? username : password).focus();
      return;
    }
    const submit = byId('register-submit');
    submit.disabled = true;
    try {
      const answer = await http.call('POST', '/api/accounts', {
        body: { username: username.value, password: password.value },
        sessionCheck: false,
      });
      if (!answer) {
        return;
      }
      if (answer.status === 201) {
        event.target.reset();
        status.textContent = `Account “${answer.data.username}” created. You can log in now.`;
        notify({ kind: 'success', title: 'Account created', detail: `Log in as ${answer.data.username}.` });
        byId('login-username').focus();
        return;
      }
      if (answer.status === 409) {
        setFieldError(username, 'This username is taken.');
        username.focus();
      }
      for (const error of answer.problem.errors ?? []) {
        if (error.field === 'username' || error.field === 'password') {
          setFieldError(error.field === 'username' ? username : password, error.message);
        }
      }
      http.notifyProblem(answer, 'Registration failed');
    } finally {
      submit.disabled = false;
    }
  }

  async function login(event) {
    event.preventDefault();
    if (Date.now() < loginLockedUntil) {
      return;
    }
    const username = byId('login-username');
    const password = byId('login-password');
    const loginError = byId('login-error');
    loginError.textContent = '';
    setFieldError(username, username.value ? null : 'Enter your username.');
    setFieldError(password, password.value ? null : 'Enter your password.');
    if (!username.value || !password.value) {
      (username.value ? password : username).focus();
      return;
    }
    const submit = byId('login-submit');
    submit.disabled = true;
    let answer;
    try {
      answer = await http.call('POST', '/api/sessions', {
        body: { username: username.value, password: password.value },
        sessionCheck: false,
      });
    } finally {
      submit.disabled = false;
    }
    if (!answer) {
      return;
    }
    if (answer.status === 201) {
      // the body's token is also the HttpOnly SESSION cookie: it is deliberately not kept here
      event.target.reset();
      const current = await http.call('GET', '/api/sessions/current', { sessionCheck: false });
      if (current?.status === 401) {
        // e.g. a Secure cookie refused over plain http on a host other than localhost
        notify({ kind: 'error', title: 'The browser did not keep the session', detail: 'Log-in succeeded but the SESSION cookie was not stored.' });
        return;
      }
      // without an answer the roles are unknown until the next session check
      start(current?.ok ? current.data : { username: answer.data.username, roles: [], expiresAt: answer.data.expiresAt });
      notify({ kind: 'success', title: `Logged in as ${session.username}` });
      return;
    }
    if (answer.status === 401) {
      loginError.textContent = 'Wrong username or password.';
      password.focus();
    } else if (answer.status === 429) {
      lockLogin(answer.retryAfter ?? 60);
    }
    http.notifyProblem(answer, 'Login failed');
  }

  /** Lock-out (429): the login button stays disabled with a countdown until Retry-After passed. */
  function lockLogin(seconds) {
    loginLockedUntil = Date.now() + seconds * 1000;
    clearTimeout(loginLockTimer);
    const loginError = byId('login-error');
    const submit = byId('login-submit');
    const tick = () => {
      const left = Math.ceil((loginLockedUntil - Date.now()) / 1000);
      if (left > 0) {
        submit.disabled = true;
        loginError.dataset.retryAfter = String(left);
        loginError.textContent = `Too many login attempts. Try again in ${left} s.`;
        loginLockTimer = setTimeout(tick, 1000);
      } else {
        submit.disabled = false;
        delete loginError.dataset.retryAfter;
        loginError.textContent = '';
      }
    };
    tick();
  }

  async function logout(everywhere) {
    events.emit('leaving'); // the live socket closes first, so its close is not taken for an ended session
    const answer = await http.call('DELETE', everywhere ? '/api/sessions' : '/api/sessions/current', { sessionCheck: false });
    if (answer && (answer.status === 204 || answer.status === 401)) {
      end(everywhere ? 'Logged out on every device.' : 'Logged out.');
      return;
    }
    if (answer) {
      http.notifyProblem(answer, 'Logout failed');
    }
    if (session) {
      events.emit('stayed');
    }
  }

  byId('register-form').addEventListener('submit', register);
  byId('login-form').addEventListener('submit', login);
  byId('logout-button').addEventListener('click', () => logout(false));
  byId('logout-all-button').addEventListener('click', () => logout(true));

  return {
    on: events.on,
    /** Whether someone is logged in. */
    loggedIn: () => session !== null,
    isAdmin,
    check,
    restore,
    expire,
    end,
  };
}
