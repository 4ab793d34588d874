// The two views, Store and Admin, chosen by the address's fragment (#store, #admin); the
// admin view and the nav only for administrators.

import { byId } from './dom.js';

/**
 * isAdmin(): whether the logged-in user may see the admin view;
 * onAdminShown(shown): told whether the admin view is on screen after every route.
 */
export function createViews({ isAdmin, onAdminShown }) {
  let view = viewOf(location.hash);

  function viewOf(hash) {
    return hash === '#admin' ? 'admin' : 'store';
  }

  /** Shows the chosen view (the store while the user may not see the admin view). */
  function route({ focus = false } = {}) {
    const admin = isAdmin();
    const showAdmin = view === 'admin' && admin;
    byId('main-nav').hidden = !admin;
    byId('store-view').hidden = showAdmin;
    byId('admin-view').hidden = !showAdmin;
    for (const [link, current] of [[byId('nav-store'), !showAdmin], [byId('nav-admin'), showAdmin]]) {
      if (current) {
        link.setAttribute('aria-current', 'page');
      } else {
        link.removeAttribute('aria-current');
      }
    }
    onAdminShown(showAdmin);
    if (focus) {
      byId(showAdmin ? 'admin-heading' : 'store-heading').focus();
    }
  }

  window.addEventListener('hashchange', () => {
    if (['#admin', '#store', ''].includes(location.hash)) { // other fragments (the skip link) keep the view
      view = viewOf(location.hash);
      route({ focus: true });
    }
  });

  return { route };
}
