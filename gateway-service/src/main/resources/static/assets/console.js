/*
 * The web console: account, catalog, orders with live status, and the admin view.
 * Plain ES modules, no framework, no build step; served by the gateway from /assets/.
 *
 * Test hooks (stable for browser tests; ids are unique, data-testid may repeat):
 *   body[data-auth]                 "unknown" until start-up checked the session, then "in" / "out"
 *   #notices                        notice area; each notice [data-testid=notice][data-kind=error|success|info]
 *                                   with .notice-title and .notice-detail
 *   #live-indicator                 [data-state=offline|connecting|live|reconnecting]
 *   #register-form  #register-username  #register-password  #register-submit
 *                   #register-username-error  #register-password-error  #register-status
 *   #login-form     #login-username  #login-password  #login-submit  #login-error
 *   #user-box  #current-user[data-username][data-roles]  #logout-button  #logout-all-button
 *   #session-section                session details (shown when logged in)
 *   #catalog-section  #catalog-refresh  #product-rows
 *     tr[data-testid=product-row][data-sku]         one per product
 *       input[data-testid=quantity-input][data-sku]  id "qty-<sku>", error text in #qty-<sku>-error
 *   #place-order-button  #order-summary
 *   #orders-section  #orders-status-filter  #orders-refresh  #orders-list  #orders-empty
 *     li[data-testid=order][data-order-id][data-status]   one per order (class is-updated while highlighted)
 *       [data-testid=order-status][data-status]          the status badge
 *       button[data-testid=cancel-order]                  only while PENDING
 *       [data-testid=order-total]  [data-testid=order-failure-reason]
 *   #orders-prev  #orders-next  #orders-page-info
 *   #main-nav  #nav-store  #nav-admin (href "#admin", only for ADMIN)  #store-view  #admin-view
 *   #dead-letters-refresh  #dead-letter-rows
 *     tr[data-testid=dead-letter][data-dead-letter-id][data-replayed]  button[data-testid=replay-dead-letter]
 *   #report-form  #report-date  #report-submit  #report-output ([data-testid=report] or [data-testid=report-missing])
 *   #restock-form  #restock-sku  #restock-quantity  #restock-submit
 *   #instances  #instances-status
 *     section[data-testid=service][data-service]  tr[data-testid=instance][data-instance-id][data-ready]
 *     #user-share-order-service  [data-testid=user-share-bar][data-instance-id][data-share (0–1)]
 */

import { NetworkError, request } from './api.js';
import { createAdmin } from './admin.js';
import { byId, createNotices, flash, h, timeElement } from './dom.js';
import { LiveConnection, LiveState } from './live.js';
import {
  MAX_QUANTITY, formatMoney, isStatusMessage, mergeStatusUpdate, newIdempotencyKey, parseQuantity,
  problemKind, shortId, skuOfField, validatePassword, validateUsername,
} from './util.js';

const PAGE_SIZE = 20;
const SESSION_ENDED = 'Your session has ended. Please log in again.';

const state = {
  session: null, // {username, roles, createdAt, lastAccessedAt, expiresAt} while logged in
  products: [],
  quantities: new Map(), // sku → what the user typed, kept across catalog refreshes
  orders: [],
  ordersMeta: null, // {page, size, totalElements, totalPages} of the shown page
  ordersPage: 0,
  ordersFilter: '',
  ordersLoad: 0, // sequence number: only the latest list request is shown
  pushed: new Map(), // orderId → latest pushed status, to correct REST reads that cross a push
  orderAttempt: null, // {key, fingerprint}: a submission the user may retry with the same key
  loginLockedUntil: 0,
};

const notify = createNotices(byId('notices'));

// --- calls ------------------------------------------------------------------------------

/**
 * request() plus the console's common handling: a network failure becomes a notice
 * (unless quietNetwork) and null; a 401 while logged in ends the session and gives null.
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
  if (answer.status === 401 && sessionCheck && state.session) {
    endSession(SESSION_ENDED);
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

function setFieldError(input, message) {
  const error = document.getElementById(`${input.id}-error`);
  if (error) {
    error.textContent = message ?? '';
  }
  if (message) {
    input.setAttribute('aria-invalid', 'true');
  } else {
    input.removeAttribute('aria-invalid');
  }
}

// --- session ----------------------------------------------------------------------------

const authSection = byId('auth-section');
const sessionSection = byId('session-section');
const userBox = byId('user-box');
const currentUser = byId('current-user');

function isAdmin() {
  return Boolean(state.session?.roles?.includes('ADMIN'));
}

function startSession(session) {
  if (state.session && state.session.username !== session.username) {
    endSession(); // another account logged in from another tab
  }
  const fresh = state.session === null;
  state.session = session;
  renderSession();
  if (fresh) {
    state.ordersPage = 0;
    loadOrders();
    live.start(); // every (re)connect re-reads the orders as well
  }
  route();
}

function endSession(message) {
  const wasLoggedIn = state.session !== null;
  state.session = null;
  live.stop();
  admin.reset();
  state.orders = [];
  state.ordersMeta = null;
  state.ordersLoad++;
  state.pushed.clear();
  state.orderAttempt = null;
  renderOrders();
  renderSession();
  route();
  if (wasLoggedIn && message) {
    notify({ kind: 'info', title: message });
  }
}

function renderSession() {
  const session = state.session;
  document.body.dataset.auth = session ? 'in' : 'out';
  authSection.hidden = Boolean(session);
  sessionSection.hidden = !session;
  userBox.hidden = !session;
  byId('orders-section').hidden = !session;
  byId('main-nav').hidden = !isAdmin();
  byId('place-order-button').disabled = !session;
  byId('order-hint').hidden = Boolean(session);
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
async function checkSession() {
  const answer = await call('GET', '/api/sessions/current', { quietNetwork: true, sessionCheck: false });
  if (answer?.ok) {
    startSession(answer.data);
    return 'ok';
  }
  return answer?.status === 401 ? 'ended' : 'unknown';
}

/** Start-up: restores the logged-in view after a reload; retries quietly while unknown. */
async function restoreSession(firstTry = true) {
  if (state.session) {
    return;
  }
  const answer = await call('GET', '/api/sessions/current', { quietNetwork: !firstTry, sessionCheck: false });
  if (answer?.ok) {
    startSession(answer.data);
    return;
  }
  renderSession(); // logged out, or not known yet: the login forms are the useful view
  if (answer?.status === 401) {
    return;
  }
  if (answer && firstTry) {
    notifyProblem(answer, 'The session could not be checked');
  }
  // 503 (session store down at the edge) or no answer: the session may still be valid
  setTimeout(() => restoreSession(false), Math.max(5, answer?.retryAfter ?? 0) * 1000);
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
    const answer = await call('POST', '/api/accounts', {
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
    notifyProblem(answer, 'Registration failed');
  } finally {
    submit.disabled = false;
  }
}

async function login(event) {
  event.preventDefault();
  if (Date.now() < state.loginLockedUntil) {
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
    answer = await call('POST', '/api/sessions', {
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
    const current = await call('GET', '/api/sessions/current', { sessionCheck: false });
    if (current?.status === 401) {
      // e.g. a Secure cookie refused over plain http on a host other than localhost
      notify({ kind: 'error', title: 'The browser did not keep the session', detail: 'Log-in succeeded but the SESSION cookie was not stored.' });
      return;
    }
    // without an answer the roles are unknown until the next session check
    startSession(current?.ok ? current.data : { username: answer.data.username, roles: [], expiresAt: answer.data.expiresAt });
    notify({ kind: 'success', title: `Logged in as ${state.session.username}` });
    return;
  }
  if (answer.status === 401) {
    loginError.textContent = 'Wrong username or password.';
    password.focus();
  } else if (answer.status === 429) {
    lockLogin(answer.retryAfter ?? 60);
  }
  notifyProblem(answer, 'Login failed');
}

let loginLockTimer = null;

/** Lock-out (429): the login button stays disabled with a countdown until Retry-After passed. */
function lockLogin(seconds) {
  state.loginLockedUntil = Date.now() + seconds * 1000;
  clearTimeout(loginLockTimer);
  const loginError = byId('login-error');
  const submit = byId('login-submit');
  const tick = () => {
    const left = Math.ceil((state.loginLockedUntil - Date.now()) / 1000);
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
  live.stop(); // close the socket first, so its close is not taken for an ended session
  const answer = await call('DELETE', everywhere ? '/api/sessions' : '/api/sessions/current', { sessionCheck: false });
  if (answer && (answer.status === 204 || answer.status === 401)) {
    endSession(everywhere ? 'Logged out on every device.' : 'Logged out.');
    return;
  }
  if (answer) {
    notifyProblem(answer, 'Logout failed');
  }
  if (state.session) {
    live.start(); // still logged in
  }
}

// --- catalog ----------------------------------------------------------------------------

const productRows = byId('product-rows');

async function loadProducts() {
  const answer = await call('GET', '/api/products');
  if (!answer) {
    return;
  }
  if (!answer.ok) {
    notifyProblem(answer, 'The catalog could not be loaded');
    return;
  }
  const first = state.products.length === 0;
  state.products = Array.isArray(answer.data) ? answer.data : [];
  renderCatalog();
  admin.renderProducts();
  if (first && state.orders.length) {
    renderOrders(); // product names were not known yet
  }
}

function productName(sku) {
  return state.products.find((product) => product.sku === sku)?.name ?? sku;
}

// Rows are updated in place, so a refresh never disturbs a quantity being typed.
function renderCatalog() {
  const rows = new Map([...productRows.children].map((row) => [row.dataset.sku, row]));
  state.products.forEach((product, index) => {
    let row = rows.get(product.sku);
    rows.delete(product.sku);
    if (!row) {
      row = productRow(product);
    }
    row.querySelector('[data-role="name"]').textContent = product.name;
    row.querySelector('[data-role="qty-label"]').textContent = `Quantity of ${product.name}`;
    row.querySelector('[data-role="price"]').textContent = formatMoney(product.unitPriceCents);
    const stock = row.querySelector('[data-role="stock"]');
    stock.textContent = product.stock > 0 ? String(product.stock) : 'sold out';
    stock.classList.toggle('sold-out', !(product.stock > 0));
    if (productRows.children[index] !== row) {
      productRows.insertBefore(row, productRows.children[index] ?? null);
    }
  });
  rows.forEach((row) => row.remove());
  byId('catalog-empty').hidden = state.products.length > 0;
  updateOrderSummary();
}

function productRow(product) {
  const inputId = `qty-${product.sku}`;
  const input = h('input', {
    id: inputId,
    class: 'qty',
    type: 'number',
    inputmode: 'numeric',
    min: 0,
    max: MAX_QUANTITY,
    step: 1,
    placeholder: '0',
    'data-testid': 'quantity-input',
    'data-sku': product.sku,
    'aria-describedby': `${inputId}-error`,
  });
  input.value = state.quantities.get(product.sku) ?? '';
  return h('tr', { 'data-testid': 'product-row', 'data-sku': product.sku },
    h('th', { scope: 'row' },
      h('span', { class: 'block', 'data-role': 'name' }),
      h('small', { class: 'muted mono block', text: product.sku })),
    // data-label names the value where narrow screens drop the table header
    h('td', { class: 'num', 'data-role': 'price', 'data-label': 'Price' }),
    h('td', { class: 'num', 'data-role': 'stock', 'data-label': 'Stock' }),
    h('td', { class: 'qty-cell' },
      h('label', { for: inputId, class: 'visually-hidden', 'data-role': 'qty-label' }),
      input,
      h('small', { id: `${inputId}-error`, class: 'field-error block' })));
}

function quantityInput(sku) {
  return productRows.querySelector(`input[data-sku="${CSS.escape(sku)}"]`);
}

function readQuantity(input) {
  // a number input reports text that is not a number as '' plus validity.badInput
  return input.validity.badInput
    ? { value: 0, error: `Enter a whole number from 1 to ${MAX_QUANTITY}.` }
    : parseQuantity(input.value);
}

/** The order the quantity fields describe, and the fields that are not valid (marked when asked). */
function collectItems({ mark = false } = {}) {
  const items = [];
  const invalid = [];
  for (const input of productRows.querySelectorAll('input[data-testid="quantity-input"]')) {
    const { value, error } = readQuantity(input);
    if (mark) {
      setFieldError(input, error);
    }
    if (error) {
      invalid.push(input);
    } else if (value > 0) {
      items.push({ sku: input.dataset.sku, quantity: value });
    }
  }
  return { items, invalid };
}

function updateOrderSummary() {
  const { items } = collectItems();
  const count = items.reduce((sum, item) => sum + item.quantity, 0);
  const total = items.reduce((sum, item) => {
    const product = state.products.find((candidate) => candidate.sku === item.sku);
    return sum + (product ? product.unitPriceCents * item.quantity : 0);
  }, 0);
  byId('order-summary').textContent = items.length
    ? `${count} item${count === 1 ? '' : 's'} of ${items.length} product${items.length === 1 ? '' : 's'} · ${formatMoney(total)}`
    : 'Nothing selected yet.';
}

function clearQuantities() {
  state.quantities.clear();
  for (const input of productRows.querySelectorAll('input[data-testid="quantity-input"]')) {
    input.value = '';
    setFieldError(input, null);
  }
  updateOrderSummary();
}

async function placeOrder() {
  if (!state.session) {
    return;
  }
  const { items, invalid } = collectItems({ mark: true });
  if (invalid.length) {
    invalid[0].focus();
    notify({ kind: 'error', title: 'Check the quantities', detail: `Each quantity is a whole number from 1 to ${MAX_QUANTITY}.` });
    return;
  }
  if (!items.length) {
    notify({ kind: 'info', title: 'Nothing to order', detail: 'Enter a quantity for at least one product.' });
    return;
  }
  // One Idempotency-Key per order attempt: retrying the very same items after a lost answer
  // reuses it, so the order cannot be placed twice; changed items are a new attempt.
  const body = { items };
  const fingerprint = JSON.stringify(body);
  if (state.orderAttempt?.fingerprint !== fingerprint) {
    state.orderAttempt = { key: newIdempotencyKey(), fingerprint };
  }
  const attempt = state.orderAttempt;
  const button = byId('place-order-button');
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    const answer = await call('POST', '/api/orders', {
      body,
      headers: { 'Idempotency-Key': attempt.key },
      networkHint: 'The order may or may not have been placed: press “Place order” again to retry safely.',
    });
    if (!answer) {
      return; // the key is kept for the retry
    }
    if (answer.status === 202) {
      state.orderAttempt = null;
      const order = answer.data;
      notify({
        kind: 'success',
        title: `Order ${shortId(order.id)} placed`,
        detail: `${formatMoney(order.totalCents)}, ${order.status}. Its status updates below.`,
      });
      clearQuantities();
      state.ordersPage = 0;
      loadOrders();
      loadProducts();
      return;
    }
    // the outcome is unknown or may change on retry: keep the key; otherwise the next try is new
    const kind = problemKind(answer.problem);
    if (!(answer.status >= 500 || answer.status === 429 || kind === 'idempotency-key-in-flight' || kind === 'busy')) {
      state.orderAttempt = null;
    }
    markOrderErrors(answer, items);
    notifyProblem(answer, 'The order was not placed');
    if (answer.status === 409 || answer.status === 422) {
      loadProducts(); // stock or catalog changed
    }
  } finally {
    button.disabled = !state.session;
    button.removeAttribute('aria-busy');
  }
}

/** Puts an order's errors next to the quantities they are about. */
function markOrderErrors(answer, items) {
  const problem = answer.problem;
  const mark = (sku, message) => {
    const input = sku ? quantityInput(sku) : null;
    if (input) {
      setFieldError(input, message);
    }
  };
  if (problem.sku) {
    mark(problem.sku, problem.detail ?? 'Not enough stock.');
  }
  for (const sku of Array.isArray(problem.skus) ? problem.skus : []) {
    mark(sku, 'Not in the catalog.');
  }
  for (const error of Array.isArray(problem.errors) ? problem.errors : []) {
    mark(skuOfField(error.field, items), error.message);
  }
}

// --- orders -----------------------------------------------------------------------------

const ordersList = byId('orders-list');

async function loadOrders() {
  if (!state.session) {
    return;
  }
  const load = ++state.ordersLoad;
  const params = new URLSearchParams({ page: String(state.ordersPage), size: String(PAGE_SIZE) });
  if (state.ordersFilter) {
    params.set('status', state.ordersFilter);
  }
  ordersList.setAttribute('aria-busy', 'true');
  const answer = await call('GET', `/api/orders?${params}`);
  if (load !== state.ordersLoad) {
    return; // a newer load, or a logout, came in between
  }
  ordersList.removeAttribute('aria-busy');
  if (!answer) {
    return;
  }
  if (!answer.ok) {
    notifyProblem(answer, 'Orders could not be loaded');
    return;
  }
  const page = answer.data;
  if (page.content.length === 0 && state.ordersPage > 0 && state.ordersPage >= page.totalPages) {
    state.ordersPage = Math.max(0, page.totalPages - 1); // the list shrank under us
    loadOrders();
    return;
  }
  state.orders = page.content.map((order) => {
    const pushed = state.pushed.get(order.id);
    return (pushed && mergeStatusUpdate(order, pushed)) || order;
  });
  state.ordersMeta = { page: page.page, size: page.size, totalElements: page.totalElements, totalPages: page.totalPages };
  renderOrders();
}

function renderOrders() {
  const focusedOrder = ordersList.contains(document.activeElement)
    ? document.activeElement.closest('[data-testid="order"]')?.dataset.orderId
    : null;
  ordersList.replaceChildren(...state.orders.map(orderElement));
  ordersList.removeAttribute('aria-busy');
  if (focusedOrder) {
    orderElementOf(focusedOrder)?.focus();
  }
  const meta = state.ordersMeta;
  byId('orders-empty').hidden = !(meta && state.orders.length === 0);
  byId('orders-prev').disabled = !meta || meta.page <= 0;
  byId('orders-next').disabled = !meta || meta.page + 1 >= meta.totalPages;
  byId('orders-page-info').textContent = meta && meta.totalPages
    ? `Page ${meta.page + 1} of ${meta.totalPages} · ${meta.totalElements} order${meta.totalElements === 1 ? '' : 's'}`
    : '';
}

function orderElementOf(id) {
  return ordersList.querySelector(`[data-testid="order"][data-order-id="${CSS.escape(id)}"]`);
}

function orderElement(order) {
  const titleId = `order-${order.id}-title`;
  return h('li', {
    class: 'order', 'data-testid': 'order', 'data-order-id': order.id, 'data-status': order.status,
    tabindex: '-1', 'aria-labelledby': titleId,
  },
  h('div', { class: 'order-head' },
    h('h3', { id: titleId, class: 'order-id', title: order.id }, 'Order ', h('span', { class: 'mono', text: shortId(order.id) })),
    h('span', {
      class: `badge status status--${String(order.status).toLowerCase()}`,
      'data-testid': 'order-status',
      'data-status': order.status,
      text: order.status,
    })),
  h('ul', { class: 'order-items' }, (order.items ?? []).map((item) => h('li', { 'data-sku': item.sku },
    `${item.quantity} × ${productName(item.sku)} `,
    h('small', { class: 'muted', text: `${item.sku} · ${formatMoney(item.unitPriceCents)} each` })))),
  h('p', { class: 'order-total' }, 'Total ', h('strong', { 'data-testid': 'order-total', text: formatMoney(order.totalCents) })),
  h('p', { class: 'order-times muted' }, 'Placed ', timeElement(order.createdAt), ' · updated ', timeElement(order.updatedAt)),
  order.failureReason
    ? h('p', { class: 'order-failure' }, 'Reason: ', h('span', { 'data-testid': 'order-failure-reason', text: order.failureReason }))
    : null,
  order.status === 'PENDING'
    ? h('button', { type: 'button', class: 'button button--small button--danger', 'data-testid': 'cancel-order', text: 'Cancel order' })
    : null);
}

/** Replaces one order where it stands in the list; false when it is not on this page. */
function showOrder(order, { highlight = false } = {}) {
  const index = state.orders.findIndex((candidate) => candidate.id === order.id);
  if (index < 0) {
    return false;
  }
  state.orders[index] = order;
  const fresh = orderElement(order);
  const old = orderElementOf(order.id);
  if (old) {
    const hadFocus = old.contains(document.activeElement);
    old.replaceWith(fresh);
    if (hadFocus) {
      (fresh.querySelector('button') ?? fresh).focus();
    }
  } else {
    renderOrders();
  }
  if (highlight) {
    flash(fresh);
  }
  return true;
}

async function refreshOrder(id, options) {
  const answer = await call('GET', `/api/orders/${encodeURIComponent(id)}`);
  if (!answer) {
    return;
  }
  if (answer.ok) {
    showOrder(answer.data, options);
  } else if (answer.status === 404) {
    loadOrders();
  } else {
    notifyProblem(answer, 'The order could not be read');
  }
}

async function cancelOrder(id, button) {
  button.disabled = true;
  const answer = await call('POST', `/api/orders/${encodeURIComponent(id)}/cancel`);
  if (!answer) {
    button.disabled = false;
    return;
  }
  if (answer.ok) {
    showOrder(answer.data, { highlight: true });
    notify({ kind: 'success', title: `Order ${shortId(id)} cancelled` });
    scheduleCatalogReload();
    return;
  }
  notifyProblem(answer, 'The order was not cancelled');
  if (answer.status === 409) {
    await refreshOrder(id, { highlight: true }); // no longer pending: show what it became
  } else if (answer.status === 404) {
    loadOrders();
  } else {
    button.disabled = false;
  }
}

// --- live status ------------------------------------------------------------------------

const liveIndicator = byId('live-indicator');
const LIVE_LABELS = {
  [LiveState.OFFLINE]: 'offline',
  [LiveState.CONNECTING]: 'connecting…',
  [LiveState.LIVE]: 'live',
  [LiveState.RECONNECTING]: 'reconnecting…',
};

function showLiveState(liveState) {
  liveIndicator.dataset.state = liveState;
  liveIndicator.textContent = LIVE_LABELS[liveState];
}

function onLiveMessage(message) {
  if (!isStatusMessage(message)) {
    return; // unknown frame types are ignored
  }
  state.pushed.set(message.orderId, message);
  if (state.pushed.size > 500) {
    state.pushed.delete(state.pushed.keys().next().value); // the oldest
  }
  const current = state.orders.find((order) => order.id === message.orderId);
  if (!current) {
    if (state.ordersPage === 0) {
      scheduleOrdersReload(); // e.g. placed from another tab: it belongs on the first page
    }
    return;
  }
  const updated = mergeStatusUpdate(current, message);
  if (!updated) {
    return;
  }
  showOrder(updated, { highlight: true });
  if (updated.status === 'REJECTED' || updated.status === 'CANCELLED') {
    scheduleCatalogReload(); // stock was released
  }
  if (updated.status === 'REJECTED') {
    refreshOrder(updated.id); // the push has no failureReason
  }
}

function debounce(action, millis) {
  let timer = null;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(action, millis);
  };
}

const scheduleOrdersReload = debounce(() => loadOrders(), 300);
const scheduleCatalogReload = debounce(() => loadProducts(), 1000);

const live = new LiveConnection({
  url: `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws/orders`,
  onMessage: onLiveMessage,
  onOpen: () => loadOrders(), // pushes missed while disconnected are not replayed
  onState: showLiveState,
  onSessionEnded: () => endSession(SESSION_ENDED),
  checkSession,
});

// --- views ------------------------------------------------------------------------------

const admin = createAdmin({
  call,
  notify,
  notifyProblem,
  products: () => state.products,
  onRestocked: () => loadProducts(),
});

let view = location.hash === '#admin' ? 'admin' : 'store';

/** The view the nav chose (#admin, #store); the admin view only for admins. */
function route({ focus = false } = {}) {
  const showAdmin = view === 'admin' && isAdmin();
  byId('store-view').hidden = showAdmin;
  byId('admin-view').hidden = !showAdmin;
  for (const [link, current] of [[byId('nav-store'), !showAdmin], [byId('nav-admin'), showAdmin]]) {
    if (current) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  admin.setActive(showAdmin);
  if (focus) {
    byId(showAdmin ? 'admin-heading' : 'store-heading').focus();
  }
}

// --- wiring -----------------------------------------------------------------------------

byId('register-form').addEventListener('submit', register);
byId('login-form').addEventListener('submit', login);
byId('logout-button').addEventListener('click', () => logout(false));
byId('logout-all-button').addEventListener('click', () => logout(true));

byId('catalog-refresh').addEventListener('click', loadProducts);
productRows.addEventListener('input', (event) => {
  const input = event.target.closest('input[data-testid="quantity-input"]');
  if (input) {
    state.quantities.set(input.dataset.sku, input.value);
    setFieldError(input, readQuantity(input).error);
    updateOrderSummary();
  }
});
byId('order-form').addEventListener('submit', (event) => {
  event.preventDefault();
  placeOrder();
});

byId('orders-status-filter').addEventListener('change', (event) => {
  state.ordersFilter = event.target.value;
  state.ordersPage = 0;
  loadOrders();
});
byId('orders-refresh').addEventListener('click', loadOrders);
byId('orders-prev').addEventListener('click', () => {
  state.ordersPage = Math.max(0, state.ordersPage - 1);
  loadOrders();
});
byId('orders-next').addEventListener('click', () => {
  state.ordersPage += 1;
  loadOrders();
});
ordersList.addEventListener('click', (event) => {
  const button = event.target.closest('[data-testid="cancel-order"]');
  if (button && !button.disabled) {
    cancelOrder(button.closest('[data-testid="order"]').dataset.orderId, button);
  }
});

window.addEventListener('hashchange', () => {
  if (['#admin', '#store', ''].includes(location.hash)) { // other fragments (the skip link) keep the view
    view = location.hash === '#admin' ? 'admin' : 'store';
    route({ focus: true });
  }
});
window.addEventListener('online', () => live.retryNow());

showLiveState(LiveState.OFFLINE);
renderOrders();
route();
loadProducts();
restoreSession();
