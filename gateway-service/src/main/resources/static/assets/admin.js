// The admin view (role ADMIN): dead letters, the daily report, restocking and the instances
// behind the gateway, polled every 2 s while the view is on screen.

import { byId, h, setFieldError, timeElement } from './dom.js';
import { formatMoney, formatPercent, formatPoints, newestFirst, shortId, todayUtc } from './util.js';

const POLL_MS = 2000;

/**
 * http: {call, notifyProblem} (http.js); notify: the notice function; products(): the
 * catalog as last loaded; onRestocked(product): after a restock (the stock changed).
 */
export function createAdmin({ http, notify, products, onRestocked }) {
  const deadLetterRows = byId('dead-letter-rows');
  const deadLettersEmpty = byId('dead-letters-empty');
  const reportForm = byId('report-form');
  const reportDate = byId('report-date');
  const reportOutput = byId('report-output');
  const restockForm = byId('restock-form');
  const restockSku = byId('restock-sku');
  const restockQuantity = byId('restock-quantity');
  const instances = byId('instances');
  const instancesStatus = byId('instances-status');

  let active = false;
  let pollTimer = null;
  let pollGeneration = 0; // a poll loop stops when the generation it started with is stale
  let lastPollError = null;

  // --- dead letters -------------------------------------------------------------------

  async function loadDeadLetters() {
    const answer = await http.call('GET', '/api/admin/dead-letters');
    if (!answer) {
      return;
    }
    if (!answer.ok) {
      http.notifyProblem(answer, 'Dead letters could not be loaded');
      return;
    }
    const letters = newestFirst(Array.isArray(answer.data) ? answer.data : [], 'deadLetteredAt');
    deadLetterRows.replaceChildren(...letters.map(deadLetterRow));
    deadLettersEmpty.hidden = letters.length > 0;
  }

  function deadLetterRow(letter) {
    const id = String(letter.id);
    const replayed = Boolean(letter.replayedAt);
    return h('tr', { 'data-testid': 'dead-letter', 'data-dead-letter-id': id, 'data-replayed': String(replayed) },
      h('td', {}, timeElement(letter.deadLetteredAt), h('small', { class: 'muted block', text: `#${shortId(id)}` })),
      h('td', {}, h('span', { class: 'block', text: letter.queue }),
        h('small', { class: 'muted block', text: `${letter.exchange} → ${letter.routingKey}` })),
      h('td', { text: letter.messageType ?? '—' }),
      h('td', { class: 'error-cell' }, h('span', { class: 'clamp', title: letter.error, text: letter.error })),
      h('td', { class: 'num', text: letter.attempts }),
      h('td', {}, replayed ? timeElement(letter.replayedAt) : '—'),
      h('td', {}, h('button', {
        type: 'button',
        class: 'button button--small',
        'data-testid': 'replay-dead-letter',
        'data-dead-letter-id': id,
        disabled: replayed,
        text: replayed ? 'Replayed' : 'Replay',
      })));
  }

  async function replay(id, button) {
    button.disabled = true;
    const answer = await http.call('POST', `/api/admin/dead-letters/${encodeURIComponent(id)}/replay`);
    if (!answer) {
      button.disabled = false;
      return;
    }
    if (answer.status === 202) {
      notify({ kind: 'success', title: 'Replay queued', detail: `Dead letter #${shortId(id)} was sent back to its queue.` });
    } else {
      http.notifyProblem(answer, answer.status === 409 ? 'Already replayed' : 'Replay failed');
    }
    await loadDeadLetters();
  }

  // --- daily report -------------------------------------------------------------------

  async function loadReport() {
    const date = reportDate.value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      reportOutput.replaceChildren(h('p', { class: 'field-error', text: 'Choose a date.' }));
      return;
    }
    const answer = await http.call('GET', `/api/reports/daily?date=${encodeURIComponent(date)}`);
    if (!answer) {
      return;
    }
    if (answer.status === 404) {
      reportOutput.replaceChildren(h('p', { class: 'muted', 'data-testid': 'report-missing',
        text: `No report for ${date} yet: it has not been generated.` }));
      return;
    }
    if (!answer.ok) {
      reportOutput.replaceChildren();
      http.notifyProblem(answer, 'The report could not be loaded');
      return;
    }
    const report = answer.data;
    const entry = (term, value, testid) => [h('dt', { text: term }), h('dd', { 'data-testid': testid }, value)];
    reportOutput.replaceChildren(h('dl', { class: 'report', 'data-testid': 'report', 'data-date': report.date },
      entry('Date (UTC)', report.date, 'report-date'),
      entry('Orders', String(report.orders), 'report-orders'),
      entry('Confirmed', String(report.confirmed), 'report-confirmed'),
      entry('Rejected', String(report.rejected), 'report-rejected'),
      entry('Cancelled', String(report.cancelled), 'report-cancelled'),
      entry('Revenue', formatMoney(report.revenueCents), 'report-revenue'),
      entry('Generated', timeElement(report.generatedAt), 'report-generated')));
  }

  // --- restock ------------------------------------------------------------------------

  /** Fills the product picker from the catalog, keeping the current choice. */
  function renderProducts() {
    const selected = restockSku.value;
    restockSku.replaceChildren(...products().map((product) => h('option', {
      value: product.sku,
      text: `${product.sku} · ${product.name} (stock ${product.stock})`,
    })));
    if (selected && products().some((product) => product.sku === selected)) {
      restockSku.value = selected;
    }
  }

  async function restock() {
    const sku = restockSku.value;
    const quantity = Number(restockQuantity.value);
    const invalid = !Number.isInteger(quantity) || quantity < 1 || quantity > 1_000_000;
    setFieldError(restockQuantity, invalid ? 'Enter a whole number from 1 to 1,000,000.' : null);
    if (!sku || invalid) {
      (sku ? restockQuantity : restockSku).focus();
      return;
    }
    const submit = byId('restock-submit');
    submit.disabled = true;
    try {
      const answer = await http.call('POST', `/api/admin/products/${encodeURIComponent(sku)}/restock`, { body: { quantity } });
      if (!answer) {
        return;
      }
      if (answer.ok) {
        restockQuantity.value = '';
        notify({ kind: 'success', title: `Restocked ${answer.data.sku}`, detail: `Stock is now ${answer.data.stock}.` });
        onRestocked(answer.data);
        return;
      }
      const fieldError = answer.problem.errors?.find((error) => error.field === 'quantity');
      setFieldError(restockQuantity, fieldError?.message ?? null);
      http.notifyProblem(answer, 'Restock failed');
    } finally {
      submit.disabled = false;
    }
  }

  // --- instances ----------------------------------------------------------------------

  function startPolling() {
    if (pollTimer !== null || !active || document.visibilityState !== 'visible') {
      return;
    }
    const generation = ++pollGeneration;
    const poll = async () => {
      const answer = await http.call('GET', '/api/admin/instances', { quietNetwork: true });
      if (generation !== pollGeneration) {
        return;
      }
      if (answer?.ok) {
        lastPollError = null;
        renderInstances(answer.data);
        instancesStatus.textContent = `Updated ${new Date().toLocaleTimeString()}`;
      } else {
        // a failing poll reports once, not every 2 s
        const message = answer ? `${answer.problem.title ?? `HTTP ${answer.status}`}` : 'The gateway cannot be reached.';
        instancesStatus.textContent = `Update failed: ${message}`;
        if (answer && message !== lastPollError) {
          http.notifyProblem(answer, 'Instances could not be loaded');
        }
        lastPollError = message;
        if (answer?.status === 403) {
          stopPolling();
          return;
        }
      }
      pollTimer = setTimeout(poll, POLL_MS);
    };
    pollTimer = setTimeout(poll, 0);
  }

  function stopPolling() {
    pollGeneration++;
    clearTimeout(pollTimer);
    pollTimer = null;
  }

  function renderInstances(data) {
    const services = Object.entries(data?.services ?? {});
    const seen = new Set();
    for (const [name, service] of services) {
      seen.add(name);
      let section = instances.querySelector(`[data-service="${CSS.escape(name)}"]`);
      if (!section) {
        section = serviceSection(name);
        instances.append(section);
      }
      updateServiceSection(section, name, service);
    }
    for (const section of instances.querySelectorAll('[data-service]')) {
      if (!seen.has(section.dataset.service)) {
        section.remove();
      }
    }
  }

  function serviceSection(name) {
    const headingId = `service-${name}-heading`;
    return h('section', { class: 'service', 'data-testid': 'service', 'data-service': name, 'aria-labelledby': headingId },
      h('h3', { id: headingId }, name, ' ', h('span', { class: 'tag', 'data-role': 'balancing' })),
      h('div', { class: 'chart-slot' }),
      h('div', { class: 'table-wrap' },
        h('table', {},
          h('caption', { class: 'visually-hidden', text: `Instances of ${name}` }),
          h('thead', {}, h('tr', {},
            // Since and Weight give way on narrow screens (col-optional)
            ['Instance', 'Status', 'Since', 'Weight', 'Requests', 'In flight', 'Recent users'].map((title, i) => h('th', {
              scope: 'col',
              class: [i >= 3 ? 'num' : '', i === 2 || i === 3 ? 'col-optional' : ''].join(' ').trim() || null,
              text: title,
            })))),
          h('tbody', {}))));
  }

  function updateServiceSection(section, name, service) {
    const list = Array.isArray(service?.instances) ? service.instances : [];
    section.querySelector('[data-role="balancing"]').textContent = service?.balancing ?? '';
    section.querySelector('tbody').replaceChildren(...list.map((instance) => h('tr', {
      'data-testid': 'instance', 'data-instance-id': instance.instanceId, 'data-ready': String(Boolean(instance.ready)),
    },
    h('td', {}, h('span', { class: 'block mono', text: instance.instanceId }),
      h('small', { class: 'muted block', text: instance.uri })),
    h('td', {}, h('span', { class: `badge ${instance.ready ? 'badge--ok' : 'badge--bad'}`, text: instance.ready ? 'ready' : 'not ready' }),
      instance.reason ? h('small', { class: 'muted block', text: instance.reason }) : null),
    h('td', { class: 'col-optional' }, timeElement(instance.since)),
    h('td', { class: 'num col-optional', text: instance.weight }),
    h('td', { class: 'num', text: instance.requestsServed }),
    h('td', { class: 'num', text: instance.inFlight }),
    h('td', { class: 'num', text: instance.distinctUsers }))));
    const slot = section.querySelector('.chart-slot');
    if (service?.balancing === 'consistent-hash') {
      updateShareChart(slot, name, list.filter((instance) => instance.ready));
    } else {
      slot.replaceChildren();
    }
  }

  // Per service: the ready set and owned shares of the last poll, and those from before the
  // last change of the ready set, so that each bar can say what it gained or handed over.
  const ownership = new Map();

  /**
   * Remembers this poll's owned shares; returns {before, change} where before maps instance
   * id → owned share before the ready set last changed (null until it has changed while on
   * screen) and change names who joined and who left.
   */
  function trackOwnership(name, ready) {
    const key = ready.map((instance) => instance.instanceId).sort().join(' ');
    const shares = new Map(ready.map((instance) => [instance.instanceId, ownedShare(instance)]));
    const known = ownership.get(name);
    const entry = known ?? { key, shares, before: null, change: null };
    if (known && known.key !== key) {
      const previous = new Set(known.key ? known.key.split(' ') : []);
      const current = new Set(key ? key.split(' ') : []);
      entry.before = known.shares;
      entry.change = {
        joined: [...current].filter((id) => !previous.has(id)),
        left: [...previous].filter((id) => !current.has(id)),
      };
    }
    entry.key = key;
    entry.shares = shares;
    ownership.set(name, entry);
    return entry;
  }

  /** The share of the service's recent users this instance owns now (routed share on older gateways). */
  function ownedShare(instance) {
    const share = Number(instance.ownedShare ?? instance.userShare);
    return Number.isFinite(share) ? Math.min(1, Math.max(0, share)) : 0;
  }

  function describeChange(change) {
    const parts = [];
    if (change.joined.length) {
      parts.push(`${change.joined.join(', ')} joined`);
    }
    if (change.left.length) {
      parts.push(`${change.left.join(', ')} left`);
    }
    return parts.join(' and ');
  }

  // Bars are updated in place (not rebuilt) so their width change animates: moving from 4 to
  // 5 instances visibly shrinks the four bars from ~25% to ~20% while a new one grows, and
  // each bar says how much of the users it handed over (−5.0 pts) or took on.
  function updateShareChart(slot, name, ready) {
    let chart = slot.querySelector('.share-chart');
    if (!chart) {
      chart = h('figure', { class: 'share-chart', id: `user-share-${name}`, 'data-testid': 'user-share-chart', 'data-service': name },
        h('figcaption', {}),
        h('div', { class: 'bars' }));
      slot.append(chart);
    }
    const { before, change } = trackOwnership(name, ready);
    const fair = ready.length ? 1 / ready.length : 0;
    let caption = ready.length
      ? `Share of the recent users each ready instance owns now (even share with ${ready.length}: ${formatPercent(fair)})`
      : 'No ready instance.';
    if (before && change) {
      caption += ` · change since ${describeChange(change)}`;
    }
    chart.querySelector('figcaption').textContent = caption;
    const bars = chart.querySelector('.bars');
    const existing = new Map([...bars.children].map((bar) => [bar.dataset.instanceId, bar]));
    ready.forEach((instance, index) => {
      let bar = existing.get(instance.instanceId);
      existing.delete(instance.instanceId);
      if (!bar) {
        bar = h('div', { class: 'bar', 'data-testid': 'user-share-bar', 'data-instance-id': instance.instanceId },
          h('span', { class: 'bar-label mono', text: instance.instanceId }),
          h('span', { class: 'bar-track' }, h('span', { class: 'bar-fill' }), h('span', { class: 'bar-even', 'aria-hidden': 'true' })),
          h('span', { class: 'bar-value num' }));
      }
      if (bars.children[index] !== bar) {
        bars.insertBefore(bar, bars.children[index] ?? null);
      }
      const share = ownedShare(instance);
      const users = instance.ownedUsers ?? instance.distinctUsers;
      bar.dataset.share = String(share);
      bar.querySelector('.bar-fill').style.width = `${share * 100}%`;
      bar.querySelector('.bar-even').style.left = `${fair * 100}%`;
      let value = `${formatPercent(share)} · ${users} user${users === 1 ? '' : 's'}`;
      if (before) {
        const delta = share - (before.get(instance.instanceId) ?? 0);
        bar.dataset.delta = String(delta);
        value += ` (${formatPoints(delta)})`;
      } else {
        delete bar.dataset.delta;
      }
      bar.querySelector('.bar-value').textContent = value;
    });
    existing.forEach((bar) => bar.remove());
  }

  // --- wiring -------------------------------------------------------------------------

  deadLetterRows.addEventListener('click', (event) => {
    const button = event.target.closest('[data-testid="replay-dead-letter"]');
    if (button && !button.disabled) {
      replay(button.dataset.deadLetterId, button);
    }
  });
  byId('dead-letters-refresh').addEventListener('click', loadDeadLetters);
  reportForm.addEventListener('submit', (event) => {
    event.preventDefault();
    loadReport();
  });
  restockForm.addEventListener('submit', (event) => {
    event.preventDefault();
    restock();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') {
      startPolling();
    } else {
      stopPolling();
    }
  });

  return {
    /** The admin view was shown (true) or hidden (false). */
    setActive(value) {
      if (value === active) {
        return;
      }
      active = value;
      if (active) {
        if (!reportDate.value) {
          reportDate.value = todayUtc();
        }
        renderProducts();
        loadDeadLetters();
        startPolling();
      } else {
        stopPolling();
      }
    },
    renderProducts,
    /** Logged out: stop and forget everything shown. */
    reset() {
      this.setActive(false);
      deadLetterRows.replaceChildren();
      reportOutput.replaceChildren();
      instances.replaceChildren();
      instancesStatus.textContent = '';
      ownership.clear();
      reportDate.value = '';
      lastPollError = null;
    },
  };
}
