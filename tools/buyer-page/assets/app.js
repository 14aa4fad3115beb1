/* global document, fetch, sessionStorage, setTimeout, crypto, atob, URLSearchParams, window */
/**
 * The buyer page: sign in with a development token, pick seats on the seat
 * map or ask for the best available ones (waiting in line first when the
 * concert sells through a waiting room), buy, and follow the purchase until
 * it ends. It calls only the public HTTP API (through /api/ on this server),
 * exactly as a buyer's app would.
 */

const TOKEN_KEY = 'ticketing-buyer-token';
const POLL_MS = 1000;
const MAX_SEATS = 10;
const TERMINAL = new Set(['CONFIRMED', 'FAILED']);

const state = { token: undefined, concertId: undefined, selected: new Set(), purchaseId: undefined, gated: false, admission: undefined };
/** Polls of a ticket in line: often near the front, at most every few seconds further back. */
const MIN_LINE_POLL_MS = 1000;
const MAX_LINE_POLL_MS = 5000;

const byId = (id) => document.getElementById(id);

/** Builds an element; text goes in as text nodes, never as HTML. */
const el = (tag, attributes = {}, ...children) => {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (value !== false && value !== undefined) element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== undefined && child !== null) element.append(child);
  return element;
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One call of the public API; every answer comes back, errors included, as { status, body }. */
const callApi = async (path, { method = 'GET', body, headers = {} } = {}) => {
  const response = await fetch(`/api${path}`, {
    method,
    headers: {
      accept: 'application/json',
      authorization: `Bearer ${state.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json().catch(() => ({})) };
};

const problemOf = ({ status, body }) => `${body.message ?? body.error ?? 'The request failed'} (HTTP ${status})`;

/** The token's subject, for display only: the API checks the token itself. */
const buyerOf = (token) => {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return typeof payload.sub === 'string' ? payload.sub : undefined;
  } catch {
    return undefined;
  }
};

const formatMoney = (money) => (money ? `${(money.amount / 100).toFixed(2)} ${money.currency}` : '');

const signIn = (token) => {
  const buyer = buyerOf(token);
  if (buyer === undefined) {
    byId('buyer').textContent = 'That is not a token with a buyer (sub) in it';
    return;
  }
  state.token = token;
  sessionStorage.setItem(TOKEN_KEY, token);
  byId('buyer').textContent = `Signed in as ${buyer}`;
  byId('sign-in').hidden = true;
  byId('concert').hidden = false;
  void openConcert(byId('concert-id').value.trim());
};

const buyingBest = () => document.querySelector('input[name="how"]:checked')?.value === 'best';

const admitted = () => state.admission !== undefined && Date.parse(state.admission.expiresAt) > Date.now();

const renderSelection = () => {
  const seats = [...state.selected];
  byId('selection').textContent = seats.length === 0 ? 'none chosen: click available seats on the map' : seats.join(', ');
  byId('buy-button').disabled = (state.gated && !admitted()) || (!buyingBest() && seats.length === 0);
};

/** The concert's price bands (named by their rows, e.g. A-E), for a purchase of the best available seats. */
const renderPriceBands = (priceBands = []) => {
  const select = byId('price-band');
  const chosen = select.value;
  select.replaceChildren(el('option', { value: '' }, 'any price band'), ...priceBands.map((band) => el('option', { value: band }, `rows ${band}`)));
  if (priceBands.includes(chosen)) select.value = chosen;
};

const toggleSeat = (seatId, button) => {
  if (state.selected.has(seatId)) state.selected.delete(seatId);
  else if (state.selected.size < MAX_SEATS) state.selected.add(seatId);
  button.classList.toggle('selected', state.selected.has(seatId));
  button.setAttribute('aria-pressed', String(state.selected.has(seatId)));
  renderSelection();
};

const seatButton = (seat) => {
  const status = seat.status.toLowerCase();
  const selected = state.selected.has(seat.seatId) && seat.status === 'AVAILABLE';
  const button = el('button', {
    type: 'button',
    class: `seat ${status}${selected ? ' selected' : ''}`,
    title: `${seat.seatId} ${formatMoney(seat.price)} ${status}`.trim(),
    'aria-label': `Seat ${seat.seatId}, ${status}`,
    'aria-pressed': String(selected),
    'data-seat': seat.seatId,
    disabled: seat.status !== 'AVAILABLE',
  });
  button.addEventListener('click', () => toggleSeat(seat.seatId, button));
  return button;
};

const formatWait = (seconds) => (seconds === null || seconds === undefined ? 'not measured yet' : seconds < 90 ? `about ${Math.round(seconds)} s` : `about ${Math.round(seconds / 60)} min`);

const renderTicket = (ticket) => {
  byId('line').hidden = false;
  byId('line-details').replaceChildren(
    ...detail('Status', el('span', { id: 'line-status', class: `status ${ticket.status.toLowerCase()}` }, ticket.status)),
    ...detail('Position', ticket.position === null ? 'drawn when the sale opens' : String(ticket.position)),
    ...detail('People ahead', ticket.peopleAhead === null ? '' : el('span', { id: 'people-ahead' }, String(ticket.peopleAhead))),
    ...detail('Estimated wait', ticket.status === 'WAITING' ? formatWait(ticket.estimatedWaitSeconds) : undefined),
    ...detail('Admitted until', ticket.admissionExpiresAt ? new Date(ticket.admissionExpiresAt).toLocaleTimeString() : undefined),
  );
};

/** Follows the buyer's ticket until it is admitted (the token then goes with the purchase) or expires. */
const followTicket = async (concertId, ticket) => {
  for (let current = ticket; ; ) {
    if (state.concertId !== concertId) return;
    renderTicket(current);
    if (current.status === 'ADMITTED') {
      state.admission = { token: current.admissionToken, expiresAt: current.admissionExpiresAt };
      renderSelection();
      return;
    }
    if (current.status === 'EXPIRED') return;
    const waitMs = Math.min(MAX_LINE_POLL_MS, Math.max(MIN_LINE_POLL_MS, ((current.estimatedWaitSeconds ?? 0) * 1000) / 4));
    await sleep(waitMs);
    const answer = await callApi(`/concerts/${encodeURIComponent(concertId)}/queue/${encodeURIComponent(ticket.ticketId)}`);
    if (answer.status === 200) current = answer.body;
  }
};

/** Joins the concert's line when it has one; joining again answers the same ticket, so a reload keeps the place. */
const joinLineIfGated = async (concertId) => {
  state.gated = false;
  state.admission = undefined;
  byId('line').hidden = true;
  const answer = await callApi(`/concerts/${encodeURIComponent(concertId)}/queue`, { method: 'POST' });
  if (answer.status !== 201) return;
  state.gated = true;
  void report(followTicket(concertId, answer.body));
};

const showSeatMap = async (concertId) => {
  state.concertId = concertId;
  const answer = await callApi(`/concerts/${encodeURIComponent(concertId)}/seats`);
  const map = byId('seat-map');
  if (answer.status !== 200) {
    byId('concert-title').textContent = problemOf(answer);
    map.replaceChildren();
    byId('buy').hidden = true;
    return;
  }
  const { concert, counts, rows } = answer.body;
  for (const seatId of state.selected) {
    const seat = rows.flatMap((row) => row.seats).find((candidate) => candidate.seatId === seatId);
    if (seat?.status !== 'AVAILABLE') state.selected.delete(seatId);
  }
  byId('concert-title').textContent = `${concert.name}, ${concert.venue}: ${counts.available} of ${counts.total} seats available`;
  renderPriceBands(concert.priceBands);
  map.replaceChildren(...rows.map((row) => el('div', { class: 'row' }, el('span', { class: 'row-label' }, row.row), ...row.seats.map(seatButton))));
  byId('buy').hidden = false;
  renderSelection();
};

const detail = (term, value) => (value === undefined || value === '' ? [] : [el('dt', {}, term), el('dd', {}, value)]);

const renderPurchase = (purchase) => {
  byId('purchase').hidden = false;
  byId('purchase-details').replaceChildren(
    ...detail('Purchase', purchase.purchaseId),
    ...detail('Status', el('span', { class: `status ${purchase.status.toLowerCase()}`, id: 'purchase-status' }, purchase.status)),
    ...detail('Seats', purchase.seatIds?.join(', ')),
    ...detail('Total', formatMoney(purchase.total)),
    ...detail('Invoice', purchase.invoiceId),
    ...detail('Why it failed', purchase.failure ? `${purchase.failure.reason ?? 'unknown'}${purchase.failure.paymentRefunded ? ' (your payment was refunded)' : ''}` : undefined),
  );
};

const followPurchase = async (purchaseId) => {
  state.purchaseId = purchaseId;
  for (;;) {
    const answer = await callApi(`/purchases/${encodeURIComponent(purchaseId)}`);
    if (state.purchaseId !== purchaseId) return;
    if (answer.status === 200) {
      renderPurchase(answer.body);
      if (TERMINAL.has(answer.body.status)) break;
    }
    await sleep(POLL_MS);
  }
  await showSeatMap(state.concertId);
};

const buy = async (paymentToken) => {
  byId('buy-error').textContent = '';
  byId('buy-button').disabled = true;
  const priceBand = byId('price-band').value;
  const request = buyingBest()
    ? { concertId: state.concertId, quantity: Number(byId('quantity').value), ...(priceBand ? { priceBand } : {}), paymentToken }
    : { concertId: state.concertId, seatIds: [...state.selected], paymentToken };
  // A new key per click: pressing Buy twice on purpose is two purchases, a retried request is not.
  const headers = { 'idempotency-key': crypto.randomUUID(), ...(admitted() ? { 'x-admission-token': state.admission.token } : {}) };
  const answer = await callApi('/purchases', { method: 'POST', body: request, headers });
  if (answer.status !== 202) {
    byId('buy-error').textContent = problemOf(answer);
    renderSelection();
    return;
  }
  if (!buyingBest()) state.selected.clear();
  renderSelection();
  renderPurchase({ purchaseId: answer.body.purchaseId, status: answer.body.status });
  await followPurchase(answer.body.purchaseId);
};

const openConcert = (concertId) => report(showSeatMap(concertId).then(() => joinLineIfGated(concertId)));

const report = (promise) =>
  promise.catch((error) => {
    byId('buy-error').textContent = `Cannot reach the API: ${error.message}`;
  });

byId('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  signIn(byId('token').value.trim());
});
byId('concert-form').addEventListener('submit', (event) => {
  event.preventDefault();
  state.selected.clear();
  void openConcert(byId('concert-id').value.trim());
});
for (const radio of document.querySelectorAll('input[name="how"]')) radio.addEventListener('change', renderSelection);
byId('buy-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void report(buy(byId('payment-token').value));
});

const concertInAddress = new URLSearchParams(window.location.search).get('concert');
if (concertInAddress) byId('concert-id').value = concertInAddress;
const remembered = sessionStorage.getItem(TOKEN_KEY);
if (remembered) signIn(remembered);
