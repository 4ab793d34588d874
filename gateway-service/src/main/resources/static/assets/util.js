// Pure helpers of the console: no DOM, no network, so they can be checked under Node.

/** The API has integer cents and no currency code; the console shows them in this one. */
export const CURRENCY = 'USD';

export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'REJECTED', 'CANCELLED'];

export const MAX_QUANTITY = 1000;

const money = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: CURRENCY,
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** 8900 → "$89.00". */
export function formatMoney(cents) {
  return Number.isFinite(cents) ? money.format(cents / 100) : '—';
}

/** 0.2345 → "23.5%". */
export function formatPercent(fraction) {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(1)}%` : '—';
}

/** A change of share in percentage points: -0.049 → "−4.9 pts", 0.2 → "+20.0 pts". */
export function formatPoints(delta) {
  if (!Number.isFinite(delta)) {
    return '—';
  }
  const points = (delta * 100).toFixed(1);
  return `${delta < 0 ? '\u2212' : '+'}${points.replace('-', '')} pts`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** An ISO-8601 instant in the reader's local time; the raw value when it does not parse. */
export function formatTime(iso) {
  const millis = Date.parse(iso);
  return Number.isNaN(millis) ? String(iso ?? '—') : dateTime.format(millis);
}

/**
 * The last 8 characters of an id: enough to tell a user's orders apart. Not the first 8:
 * order ids are UUID version 7, whose leading characters are a timestamp shared by every
 * order placed in the same minute or so.
 */
export function shortId(id) {
  return String(id).slice(-8);
}

/** Today's date in UTC as YYYY-MM-DD (reports are per UTC day). */
export function todayUtc(now = new Date()) {
  return now.toISOString().slice(0, 10);
}

/**
 * Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or null
 * when the header is absent or unreadable.
 */
export function parseRetryAfter(value, now = Date.now()) {
  if (value == null) {
    return null;
  }
  const text = String(value).trim();
  if (/^\d+$/.test(text)) {
    return Number.parseInt(text, 10);
  }
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The same rule as session-service: 3–32 of a-z 0-9 _ . - (lowercase only). */
export function validateUsername(username) {
  if (!username) {
    return 'Choose a username.';
  }
  if (username.length < 3 || username.length > 32) {
    return 'Use 3 to 32 characters.';
  }
  if (/[A-Z]/.test(username)) {
    return 'Use lowercase letters only.';
  }
  if (!/^[a-z0-9_.-]+$/.test(username)) {
    return 'Use only a–z, 0–9, underscore, dot and hyphen.';
  }
  return null;
}

export function validatePassword(password) {
  if (password.length < 8) {
    return 'Use at least 8 characters.';
  }
  if (password.length > 128) {
    return 'Use at most 128 characters.';
  }
  return null;
}

/**
 * A quantity field of the catalog: empty or 0 means "not ordered";
 * otherwise a whole number from 1 to 1000.
 */
export function parseQuantity(raw) {
  const text = String(raw ?? '').trim();
  if (text === '') {
    return { value: 0, error: null };
  }
  if (!/^\d+$/.test(text)) {
    return { value: 0, error: `Enter a whole number from 1 to ${MAX_QUANTITY}.` };
  }
  const value = Number.parseInt(text, 10);
  if (value > MAX_QUANTITY) {
    return { value: 0, error: `At most ${MAX_QUANTITY} per product.` };
  }
  return { value, error: null };
}

const BACKOFF_MS = [1000, 2000, 5000, 10000];

/** Reconnect delay after the n-th failed attempt (0-based): 1 s, 2 s, 5 s, then 10 s. */
export function backoffDelay(attempt) {
  return BACKOFF_MS[Math.min(Math.max(attempt, 0), BACKOFF_MS.length - 1)];
}

/** A server push this console understands; every other frame is ignored. */
export function isStatusMessage(message) {
  return message !== null && typeof message === 'object' && message.type === 'order-status'
    && typeof message.orderId === 'string' && ORDER_STATUSES.includes(message.status);
}

/**
 * The order after a pushed status change, or null when the push changes nothing or is
 * older than what the order already shows (pushes and REST reads can cross).
 */
export function mergeStatusUpdate(order, message) {
  const known = Date.parse(order.updatedAt);
  const pushed = Date.parse(message.updatedAt);
  if (!Number.isNaN(known) && !Number.isNaN(pushed) && pushed < known) {
    return null;
  }
  if (order.status === message.status) {
    return null;
  }
  return { ...order, status: message.status, updatedAt: message.updatedAt ?? order.updatedAt };
}

/** A copy sorted newest first by an ISO timestamp field. */
export function newestFirst(list, field) {
  const time = (item) => {
    const millis = Date.parse(item[field]);
    return Number.isNaN(millis) ? 0 : millis;
  };
  return [...list].sort((a, b) => time(b) - time(a));
}

/** The sku a validation error of an order names ("items[2].quantity" → items[2].sku). */
export function skuOfField(field, items) {
  const match = /^items\[(\d+)\]/.exec(String(field ?? ''));
  return match ? (items[Number(match[1])]?.sku ?? null) : null;
}

/** The last segment of a problem type ("/problems/insufficient-stock" → "insufficient-stock"). */
export function problemKind(problem) {
  const type = typeof problem?.type === 'string' ? problem.type : '';
  return type.slice(type.lastIndexOf('/') + 1);
}

/**
 * A fresh Idempotency-Key. crypto.randomUUID exists only in secure contexts (https or
 * localhost); over plain http on another host the key is built from getRandomValues.
 */
export function newIdempotencyKey(cryptoApi = globalThis.crypto) {
  if (typeof cryptoApi?.randomUUID === 'function') {
    return cryptoApi.randomUUID();
  }
  const bytes = cryptoApi.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A function that runs action once, millis after the last of a burst of calls. */
export function debounce(action, millis, timers = globalThis) {
  let timer = null;
  return () => {
    timers.clearTimeout(timer);
    timer = timers.setTimeout(action, millis);
  };
}
