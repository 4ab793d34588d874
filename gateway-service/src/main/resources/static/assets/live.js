// The live order-status connection: one WebSocket to /ws/orders while logged in, reconnected
// with backoff. The browser sends the SESSION cookie with the handshake by itself.
// LiveConnection is the connection alone (no DOM; its collaborators can be faked);
// createLive adds the indicator and turns frames into events.

import { createEmitter } from './events.js';
import { backoffDelay, isStatusMessage } from './util.js';

/** Close code the server uses when the session behind the socket ends. */
const POLICY_VIOLATION = 1008;

/** The server closes with this when the user holds too many connections on one instance. */
const TOO_MANY_CONNECTIONS = 4429;

/** A connection that stayed open this long resets the backoff to its first step. */
const STABLE_MS = 5000;

/**
 * Keep-alive: an open socket sends {"type":"ping"} this often (the server answers
 * {"type":"pong"}), so that proxies and load balancers with idle timeouts keep it open.
 */
const PING_MS = 25000;

/** The backoff step used after TOO_MANY_CONNECTIONS: the longest. */
const LAST_BACKOFF_STEP = 3;

export const LiveState = Object.freeze({
  OFFLINE: 'offline',
  CONNECTING: 'connecting',
  LIVE: 'live',
  RECONNECTING: 'reconnecting',
});

/**
 * options:
 *  url                  ws(s) address
 *  onMessage(json)      every frame that parses as JSON
 *  onOpen()             after every (re)connect: the caller re-reads over REST what it missed
 *  onState(state)       one of LiveState
 *  onSessionEnded()     close code 1008, or the session check before a reconnect said 401
 *  checkSession()       resolves 'ok' | 'ended' | 'unknown' (unknown: try again later)
 *  WebSocketImpl, timers, now   injectable for tests
 */
export class LiveConnection {
  #options;
  #socket = null;
  #timer = null;
  #attempt = 0;
  #running = false;
  #openedAt = null; // when the current socket opened
  #pinger = null;

  constructor(options) {
    this.#options = {
      WebSocketImpl: globalThis.WebSocket,
      timers: globalThis,
      now: () => Date.now(),
      ...options,
    };
  }

  get running() {
    return this.#running;
  }

  start() {
    if (this.#running) {
      return;
    }
    this.#running = true;
    this.#attempt = 0;
    this.#openedAt = null;
    this.#connect(LiveState.CONNECTING);
  }

  /** Closes the socket and stops reconnecting (logout). */
  stop() {
    this.#running = false;
    this.#clearTimer();
    this.#stopPinging();
    const socket = this.#socket;
    this.#socket = null; // its close event is then ignored
    if (socket) {
      try {
        socket.close(1000, 'logout');
      } catch {
        // already closing
      }
    }
    this.#options.onState(LiveState.OFFLINE);
  }

  /** Skips the remaining backoff (e.g. the browser is back online). */
  retryNow() {
    if (this.#running && this.#timer !== null) {
      this.#clearTimer();
      this.#retry();
    }
  }

  #connect(state) {
    const { url, WebSocketImpl, onState, onOpen, onMessage, now } = this.#options;
    onState(state);
    let socket;
    try {
      socket = new WebSocketImpl(url);
    } catch {
      this.#schedule();
      return;
    }
    this.#socket = socket;
    // handlers check that they belong to the current socket: a replaced one is ignored
    socket.addEventListener('open', () => {
      if (socket === this.#socket) {
        this.#openedAt = now();
        this.#startPinging(socket);
        onState(LiveState.LIVE);
        onOpen();
      }
    });
    socket.addEventListener('message', (event) => {
      if (socket !== this.#socket || typeof event.data !== 'string') {
        return;
      }
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return; // not JSON: ignored like any unknown frame
      }
      onMessage(message);
    });
    socket.addEventListener('close', (event) => {
      if (socket !== this.#socket) {
        return;
      }
      this.#socket = null;
      this.#stopPinging();
      if (!this.#running) {
        return;
      }
      if (event.code === POLICY_VIOLATION) {
        this.#ended();
        return;
      }
      if (this.#openedAt !== null && now() - this.#openedAt >= STABLE_MS) {
        this.#attempt = 0;
      }
      if (event.code === TOO_MANY_CONNECTIONS) {
        this.#attempt = Math.max(this.#attempt, LAST_BACKOFF_STEP); // other tabs hold them: no hurry
      }
      this.#openedAt = null;
      this.#schedule();
    });
  }

  #schedule() {
    this.#options.onState(LiveState.RECONNECTING);
    const delay = backoffDelay(this.#attempt++);
    this.#timer = this.#options.timers.setTimeout(() => {
      this.#timer = null;
      this.#retry();
    }, delay);
  }

  // A failed handshake shows up only as close code 1006 (browsers hide the HTTP status), so
  // the session is checked over REST before each reconnect: a 401 there means logged out.
  async #retry() {
    let verdict;
    try {
      verdict = await this.#options.checkSession();
    } catch {
      verdict = 'unknown';
    }
    if (!this.#running || this.#socket || this.#timer !== null) {
      return; // stopped, or another retry got there first
    }
    if (verdict === 'ended') {
      this.#ended();
    } else if (verdict === 'ok') {
      this.#connect(LiveState.RECONNECTING);
    } else {
      this.#schedule();
    }
  }

  #startPinging(socket) {
    this.#stopPinging();
    this.#pinger = this.#options.timers.setInterval(() => {
      if (socket.readyState === 1) { // OPEN
        socket.send('{"type":"ping"}');
      }
    }, PING_MS);
  }

  #stopPinging() {
    if (this.#pinger !== null) {
      this.#options.timers.clearInterval(this.#pinger);
      this.#pinger = null;
    }
  }

  #ended() {
    this.#running = false;
    this.#clearTimer();
    this.#stopPinging();
    this.#options.onState(LiveState.OFFLINE);
    this.#options.onSessionEnded();
  }

  #clearTimer() {
    if (this.#timer !== null) {
      this.#options.timers.clearTimeout(this.#timer);
      this.#timer = null;
    }
  }
}

const LIVE_LABELS = {
  [LiveState.OFFLINE]: 'offline',
  [LiveState.CONNECTING]: 'connecting…',
  [LiveState.LIVE]: 'live',
  [LiveState.RECONNECTING]: 'reconnecting…',
};

/**
 * The console's live connection. indicator: the element that shows the state
 * ([data-state] and its label); checkSession(): as LiveConnection's; location: where the
 * page came from (the socket goes to the same host).
 * Events (on(type, listener)):
 *   status         a pushed order status ({type: 'order-status', orderId, status, updatedAt});
 *                  every other frame is ignored
 *   open           after every (re)connect: pushes missed meanwhile are not replayed
 *   session-ended  the server closed the socket for the session, or a reconnect found it gone
 */
export function createLive({ indicator, checkSession, location = globalThis.location, ...options }) {
  const events = createEmitter();
  const show = (state) => {
    indicator.dataset.state = state;
    indicator.textContent = LIVE_LABELS[state];
  };
  const connection = new LiveConnection({
    url: `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws/orders`,
    onMessage: (message) => {
      if (isStatusMessage(message)) {
        events.emit('status', message);
      }
    },
    onOpen: () => events.emit('open'),
    onState: show,
    onSessionEnded: () => events.emit('session-ended'),
    checkSession,
    ...options,
  });
  show(LiveState.OFFLINE);
  return {
    on: events.on,
    start: () => connection.start(),
    stop: () => connection.stop(),
    retryNow: () => connection.retryNow(),
  };
}
