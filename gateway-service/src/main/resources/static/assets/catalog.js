// The catalog and its order form: the products with price and stock, a quantity per product
// (kept across refreshes), and placing the order with an Idempotency-Key that a retry of the
// same items reuses.

import { byId, h, setFieldError } from './dom.js';
import { createEmitter } from './events.js';
import {
  MAX_QUANTITY, debounce, formatMoney, newIdempotencyKey, parseQuantity, problemKind, shortId, skuOfField,
} from './util.js';

/**
 * http: {call, notifyProblem} (http.js); notify: the notice function.
 * Events (on(type, listener)):
 *   changed  {products, first}  the catalog was (re)loaded; first: the first time it had products
 *   placed   order              an order was accepted (202)
 */
export function createCatalog({ http, notify }) {
  const events = createEmitter();
  const productRows = byId('product-rows');
  const placeButton = byId('place-order-button');

  let products = [];
  const quantities = new Map(); // sku → what the user typed, kept across catalog refreshes
  let orderAttempt = null; // {key, fingerprint}: a submission the user may retry with the same key
  let loggedIn = false;

  async function load() {
    const answer = await http.call('GET', '/api/products');
    if (!answer) {
      return;
    }
    if (!answer.ok) {
      http.notifyProblem(answer, 'The catalog could not be loaded');
      return;
    }
    const first = products.length === 0;
    products = Array.isArray(answer.data) ? answer.data : [];
    render();
    events.emit('changed', { products, first });
  }

  /** The product's name, or the sku while the catalog does not know it. */
  function productName(sku) {
    return products.find((product) => product.sku === sku)?.name ?? sku;
  }

  // Rows are updated in place, so a refresh never disturbs a quantity being typed.
  function render() {
    const rows = new Map([...productRows.children].map((row) => [row.dataset.sku, row]));
    products.forEach((product, index) => {
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
    byId('catalog-empty').hidden = products.length > 0;
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
    input.value = quantities.get(product.sku) ?? '';
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
      const product = products.find((candidate) => candidate.sku === item.sku);
      return sum + (product ? product.unitPriceCents * item.quantity : 0);
    }, 0);
    byId('order-summary').textContent = items.length
      ? `${count} item${count === 1 ? '' : 's'} of ${items.length} product${items.length === 1 ? '' : 's'} · ${formatMoney(total)}`
      : 'Nothing selected yet.';
  }

  function clearQuantities() {
    quantities.clear();
    for (const input of productRows.querySelectorAll('input[data-testid="quantity-input"]')) {
      input.value = '';
      setFieldError(input, null);
    }
    updateOrderSummary();
  }

  async function placeOrder() {
    if (!loggedIn) {
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
    if (orderAttempt?.fingerprint !== fingerprint) {
      orderAttempt = { key: newIdempotencyKey(), fingerprint };
    }
    const attempt = orderAttempt;
    placeButton.disabled = true;
    placeButton.setAttribute('aria-busy', 'true');
    try {
      const answer = await http.call('POST', '/api/orders', {
        body,
        headers: { 'Idempotency-Key': attempt.key },
        networkHint: 'The order may or may not have been placed: press “Place order” again to retry safely.',
      });
      if (!answer) {
        return; // the key is kept for the retry
      }
      if (answer.status === 202) {
        orderAttempt = null;
        const order = answer.data;
        notify({
          kind: 'success',
          title: `Order ${shortId(order.id)} placed`,
          detail: `${formatMoney(order.totalCents)}, ${order.status}. Its status updates below.`,
        });
        clearQuantities();
        events.emit('placed', order);
        load();
        return;
      }
      // the outcome is unknown or may change on retry: keep the key; otherwise the next try is new
      const kind = problemKind(answer.problem);
      if (!(answer.status >= 500 || answer.status === 429 || kind === 'idempotency-key-in-flight' || kind === 'busy')) {
        orderAttempt = null;
      }
      markOrderErrors(answer, items);
      http.notifyProblem(answer, 'The order was not placed');
      if (answer.status === 409 || answer.status === 422) {
        load(); // stock or catalog changed
      }
    } finally {
      placeButton.disabled = !loggedIn;
      placeButton.removeAttribute('aria-busy');
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

  /** Logged in (true) or out: the order form is enabled only while logged in. */
  function setLoggedIn(value) {
    loggedIn = value;
    if (!value) {
      orderAttempt = null;
    }
    placeButton.disabled = !value;
    byId('order-hint').hidden = value;
  }

  byId('catalog-refresh').addEventListener('click', load);
  productRows.addEventListener('input', (event) => {
    const input = event.target.closest('input[data-testid="quantity-input"]');
    if (input) {
      quantities.set(input.dataset.sku, input.value);
      setFieldError(input, readQuantity(input).error);
      updateOrderSummary();
    }
  });
  byId('order-form').addEventListener('submit', (event) => {
    event.preventDefault();
    placeOrder();
  });

  return {
    on: events.on,
    load,
    /** Reloads soon, once for a burst of stock changes (cancellations, rejections). */
    scheduleReload: debounce(load, 1000),
    /** A copy of the products as last loaded. */
    products: () => [...products],
    productName,
    setLoggedIn,
  };
}
