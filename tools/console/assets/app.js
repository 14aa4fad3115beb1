/* global document, window, URLSearchParams */
import { fetchAbout } from './api.js';
import { renderContextMap } from './context-map-view.js';
import { renderExecutions } from './executions-view.js';
import { renderPurchase } from './purchase-view.js';
import { renderWaitingRoom, renderWaitingRooms } from './waiting-rooms-view.js';

/**
 * Hash routes, so the server only ever serves one page:
 *   #/?status=FAILED&search=abc   the executions list
 *   #/purchases/<purchaseId>      one purchase
 *   #/context-map                 the bounded-context map
 *   #/waiting-rooms               every gated concert's waiting room
 *   #/waiting-rooms/<concertId>   one of them
 * Each view returns a function that stops what it started (polling).
 */

const view = document.getElementById('view');
let stopCurrent = () => undefined;

const routeOf = (hash) => {
  const [path = '/', query = ''] = hash.replace(/^#/, '').split('?');
  const purchase = /^\/purchases\/([^/]+)$/.exec(path);
  if (purchase) return { name: 'purchase', render: (root) => renderPurchase(root, decodeURIComponent(purchase[1])) };
  if (path === '/context-map') return { name: 'context-map', render: renderContextMap };
  const room = /^\/waiting-rooms\/([^/]+)$/.exec(path);
  if (room) return { name: 'waiting-rooms', render: (root) => renderWaitingRoom(root, decodeURIComponent(room[1])) };
  if (path === '/waiting-rooms') return { name: 'waiting-rooms', render: renderWaitingRooms };
  return { name: 'executions', render: (root) => renderExecutions(root, new URLSearchParams(query)) };
};

const show = () => {
  stopCurrent();
  const route = routeOf(window.location.hash);
  for (const link of document.querySelectorAll('[data-nav]')) {
    link.classList.toggle('active', link.dataset.nav === (route.name === 'purchase' ? 'executions' : route.name));
  }
  view.replaceChildren();
  delete view.dataset.live;
  stopCurrent = route.render(view) ?? (() => undefined);
};

const showTarget = async () => {
  const target = document.getElementById('target');
  try {
    const about = await fetchAbout();
    target.textContent = about.target === 'aws' ? `AWS · ${about.name} · ${about.region}` : `Local runtime · ${about.region}`;
    target.classList.add(about.target);
  } catch (error) {
    target.textContent = `not connected: ${error.message}`;
  }
};

window.addEventListener('hashchange', show);
show();
void showTarget();
