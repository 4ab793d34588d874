/*
 * The web console: account, catalog, orders with live status, and the admin view.
 * Plain ES modules, no framework, no build step; served by the gateway from /assets/.
 *
 * This module only puts the others together; each owns its state and its part of the page:
 *   session.js  account, login, logout, session details     catalog.js  products, order form
 *   orders.js   the user's orders, cancel, pushed statuses   live.js     the WebSocket, indicator
 *   admin.js    instances, dead letters, report, restock     views.js    Store / Admin routing
 *   http.js     calls with the shared error handling         dom.js      rendering helpers
 *   api.js      fetch                                        util.js     pure helpers (Node-checkable)
 *   events.js   the emitter each module announces its changes with
 * Modules talk through the functions they return and their events, wired below; no module
 * reads another's state.
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

import { createAdmin } from './admin.js';
import { createCatalog } from './catalog.js';
import { byId, createNotices } from './dom.js';
import { createHttp } from './http.js';
import { createLive } from './live.js';
import { createOrders } from './orders.js';
import { SESSION_ENDED, createSession } from './session.js';
import { createViews } from './views.js';

const notify = createNotices(byId('notices'));
// a 401 while logged in ends the session (the arrow reads `session` once calls are made)
const http = createHttp({ notify, onUnauthorized: () => session.expire() });
const session = createSession({ http, notify });
const catalog = createCatalog({ http, notify });
const orders = createOrders({ http, notify, productName: catalog.productName });
const live = createLive({ indicator: byId('live-indicator'), checkSession: session.check });
const admin = createAdmin({ http, notify, products: catalog.products, onRestocked: () => catalog.load() });
const views = createViews({ isAdmin: session.isAdmin, onAdminShown: admin.setActive });

session.on('started', ({ fresh }) => {
  catalog.setLoggedIn(true);
  if (fresh) {
    orders.open();
    live.start(); // every (re)connect re-reads the orders as well
  }
  views.route();
});
session.on('ended', () => {
  live.stop();
  admin.reset();
  orders.close();
  catalog.setLoggedIn(false);
  views.route();
});
session.on('leaving', () => live.stop()); // so that the socket's close is not taken for an ended session
session.on('stayed', () => live.start());

catalog.on('changed', (change) => {
  admin.renderProducts();
  orders.productsChanged(change);
});
catalog.on('placed', () => orders.showFirstPage());
orders.on('stock-released', () => catalog.scheduleReload());

live.on('status', (message) => orders.applyStatus(message));
live.on('open', () => orders.load()); // pushes missed while disconnected are not replayed
live.on('session-ended', () => session.end(SESSION_ENDED));
window.addEventListener('online', () => live.retryNow());

views.route();
catalog.load();
session.restore();
