// The user's orders: one page at a time, filtered by status, with cancel while PENDING, and
// status changes applied as they are pushed (applyStatus) without reading the order again.

import { byId, flash, h, timeElement } from './dom.js';
import { createEmitter } from './events.js';
import { debounce, formatMoney, mergeStatusUpdate, shortId } from './util.js';

const PAGE_SIZE = 20;

/** Pushed statuses remembered to correct REST reads that cross a push. */
const PUSHED_LIMIT = 500;

/**
 * http: {call, notifyProblem} (http.js); notify: the notice function;
 * productName(sku): the name to show for an item.
 * Events (on(type, listener)):
 *   stock-released  an order was cancelled or rejected: the stock it held is back
 */
export function createOrders({ http, notify, productName }) {
  const events = createEmitter();
  const section = byId('orders-section');
  const ordersList = byId('orders-list');

  let open = false; // logged in: the list is on screen and loaded
  let orders = [];
  let meta = null; // {page, size, totalElements, totalPages} of the shown page
  let page = 0;
  let filter = '';
  let loadSequence = 0; // only the latest list request is shown
  const pushed = new Map(); // orderId → latest pushed status

  async function load() {
    if (!open) {
      return;
    }
    const sequence = ++loadSequence;
    const params = new URLSearchParams({ page: String(page), size: String(PAGE_SIZE) });
    if (filter) {
      params.set('status', filter);
    }
    ordersList.setAttribute('aria-busy', 'true');
    const answer = await http.call('GET', `/api/orders?${params}`);
    if (sequence !== loadSequence) {
      return; // a newer load, or a logout, came in between
    }
    ordersList.removeAttribute('aria-busy');
    if (!answer) {
      return;
    }
    if (!answer.ok) {
      http.notifyProblem(answer, 'Orders could not be loaded');
      return;
    }
    const content = answer.data;
    if (content.content.length === 0 && page > 0 && page >= content.totalPages) {
      page = Math.max(0, content.totalPages - 1); // the list shrank under us
      load();
      return;
    }
    orders = content.content.map((order) => {
      const push = pushed.get(order.id);
      return (push && mergeStatusUpdate(order, push)) || order;
    });
    meta = { page: content.page, size: content.size, totalElements: content.totalElements, totalPages: content.totalPages };
    render();
  }

  function showPage(number) {
    page = Math.max(0, number);
    load();
  }

  const scheduleLoad = debounce(load, 300);

  function render() {
    const focusedOrder = ordersList.contains(document.activeElement)
      ? document.activeElement.closest('[data-testid="order"]')?.dataset.orderId
      : null;
    ordersList.replaceChildren(...orders.map(orderElement));
    ordersList.removeAttribute('aria-busy');
    if (focusedOrder) {
      orderElementOf(focusedOrder)?.focus();
    }
    byId('orders-empty').hidden = !(meta && orders.length === 0);
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
    const index = orders.findIndex((candidate) => candidate.id === order.id);
    if (index < 0) {
      return false;
    }
    orders[index] = order;
    const fresh = orderElement(order);
    const old = orderElementOf(order.id);
    if (old) {
      const hadFocus = old.contains(document.activeElement);
      old.replaceWith(fresh);
      if (hadFocus) {
        (fresh.querySelector('button') ?? fresh).focus();
      }
    } else {
      render();
    }
    if (highlight) {
      flash(fresh);
    }
    return true;
  }

  async function refreshOrder(id, options) {
    const answer = await http.call('GET', `/api/orders/${encodeURIComponent(id)}`);
    if (!answer) {
      return;
    }
    if (answer.ok) {
      showOrder(answer.data, options);
    } else if (answer.status === 404) {
      load();
    } else {
      http.notifyProblem(answer, 'The order could not be read');
    }
  }

  async function cancelOrder(id, button) {
    button.disabled = true;
    const answer = await http.call('POST', `/api/orders/${encodeURIComponent(id)}/cancel`);
    if (!answer) {
      button.disabled = false;
      return;
    }
    if (answer.ok) {
      showOrder(answer.data, { highlight: true });
      notify({ kind: 'success', title: `Order ${shortId(id)} cancelled` });
      events.emit('stock-released');
      return;
    }
    http.notifyProblem(answer, 'The order was not cancelled');
    if (answer.status === 409) {
      await refreshOrder(id, { highlight: true }); // no longer pending: show what it became
    } else if (answer.status === 404) {
      load();
    } else {
      button.disabled = false;
    }
  }

  /** A pushed status change ({type: 'order-status', orderId, status, updatedAt}). */
  function applyStatus(message) {
    pushed.set(message.orderId, message);
    if (pushed.size > PUSHED_LIMIT) {
      pushed.delete(pushed.keys().next().value); // the oldest
    }
    const current = orders.find((order) => order.id === message.orderId);
    if (!current) {
      if (page === 0) {
        scheduleLoad(); // e.g. placed from another tab: it belongs on the first page
      }
      return;
    }
    const updated = mergeStatusUpdate(current, message);
    if (!updated) {
      return;
    }
    showOrder(updated, { highlight: true });
    if (updated.status === 'REJECTED' || updated.status === 'CANCELLED') {
      events.emit('stock-released');
    }
    if (updated.status === 'REJECTED') {
      refreshOrder(updated.id); // the push has no failureReason
    }
  }

  /** Logged in: shows the list from its first page. */
  function openList() {
    open = true;
    section.hidden = false;
    showPage(0);
  }

  /** Logged out: hides the list and forgets every order. */
  function close() {
    open = false;
    section.hidden = true;
    orders = [];
    meta = null;
    loadSequence++;
    pushed.clear();
    render();
  }

  /** The catalog changed; the first catalog brings the product names of the items. */
  function productsChanged({ first }) {
    if (first && orders.length) {
      render();
    }
  }

  byId('orders-status-filter').addEventListener('change', (event) => {
    filter = event.target.value;
    showPage(0);
  });
  byId('orders-refresh').addEventListener('click', load);
  byId('orders-prev').addEventListener('click', () => showPage(page - 1));
  byId('orders-next').addEventListener('click', () => showPage(page + 1));
  ordersList.addEventListener('click', (event) => {
    const button = event.target.closest('[data-testid="cancel-order"]');
    if (button && !button.disabled) {
      cancelOrder(button.closest('[data-testid="order"]').dataset.orderId, button);
    }
  });
  render();

  return {
    on: events.on,
    open: openList,
    close,
    load,
    /** The first page again (a new order belongs there). */
    showFirstPage: () => showPage(0),
    applyStatus,
    productsChanged,
  };
}
