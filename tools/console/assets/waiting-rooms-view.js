/* global setTimeout, clearTimeout */
import { fetchWaitingRoom, fetchWaitingRooms } from './api.js';
import { errorBox, formatDuration, formatTime, h } from './dom.js';

/** The admitter runs every minute: a few refreshes a minute show each run without hammering the tables. */
const REFRESH_MS = 5000;

const roomHref = (concertId) => `#/waiting-rooms/${encodeURIComponent(concertId)}`;

const pauseBadge = (room) => {
  if (room.pause.paused) return h('span', { class: 'badge bad', 'data-testid': 'pause', 'data-paused': 'true' }, 'PAUSED');
  if (room.onSale === null) return h('span', { class: 'badge neutral', 'data-testid': 'pause', 'data-paused': 'false' }, 'NOT GATED');
  return h('span', { class: 'badge ok', 'data-testid': 'pause', 'data-paused': 'false' }, 'ADMITTING');
};

/** Why nobody is let in, or why the last run let nobody in although the cause has gone. */
const pauseNote = (room) => {
  if (room.pause.paused) {
    return h('p', { class: 'pause-note bad', 'data-testid': 'pause-reason' }, `Admissions paused: ${room.pause.reason}. The admitter lets nobody in while the purchase dead-letter queue holds a message (npm run dlq -- list) or while a purchase execution stopped FAILED, TIMED_OUT or ABORTED in the last 5 minutes (npm run executions -- --status NEEDS_A_PERSON).`);
  }
  if (room.pause.lastRunPausedReason) {
    return h('p', { class: 'pause-note', 'data-testid': 'pause-reason' }, `The last run paused (${room.pause.lastRunPausedReason}); the cause has gone, so the next run admits again.`);
  }
  return undefined;
};

const figure = (label, value, note, testId) =>
  h('div', { class: 'figure', 'data-testid': testId }, h('div', { class: 'figure-label' }, label), h('div', { class: 'figure-value num' }, value), note ? h('div', { class: 'muted small' }, note) : undefined);

const waitText = (room) => {
  if (room.backOfLineWaitSeconds !== null) return formatDuration(room.backOfLineWaitSeconds * 1000) || '0 s';
  return '—';
};

const waitNote = (room) => {
  if (!room.draw.drawn) return 'no order before the draw';
  if (room.admittedPerMinute === null) return 'no rate measured yet';
  return 'for the last buyer in the line';
};

const drawText = (room) => {
  if (room.draw.drawn) return `Drawn ${formatTime(room.draw.at ?? '')} UTC: ${room.draw.preQueueSize} from the pre-queue`;
  return 'Not yet: the pre-queue is shuffled 15 s after the start';
};

const onSaleRecord = (onSale) =>
  h(
    'dl',
    { class: 'record', 'data-testid': 'on-sale' },
    h('dt', {}, 'Starts (UTC)'),
    h('dd', {}, formatTime(onSale.startsAt)),
    h('dt', {}, 'Admissions per minute'),
    h('dd', {}, String(onSale.admissionsPerMinute)),
    h('dt', {}, 'Max active buyers'),
    h('dd', {}, String(onSale.maxActiveBuyers)),
    h('dt', {}, 'Admission lasts'),
    h('dd', {}, formatDuration(onSale.admissionTtlSeconds * 1000)),
  );

const roomCard = (room) =>
  h(
    'section',
    { class: 'card room', 'data-concert-id': room.concertId },
    h('h2', {}, h('a', { class: 'mono', href: roomHref(room.concertId) }, room.concertId), ' ', pauseBadge(room)),
    pauseNote(room),
    h(
      'div',
      { class: 'figures' },
      figure('In line', String(room.waiting), room.draw.drawn ? `admitted through position ${room.admittedThrough}` : 'in the pre-queue', 'line-length'),
      figure('Admitted per minute', room.admittedPerMinute === null ? '—' : String(room.admittedPerMinute), 'measured over the last 5 minutes', 'admitted-per-minute'),
      figure('Wait at the back', waitText(room), waitNote(room), 'back-of-line-wait'),
    ),
    h('p', { 'data-testid': 'draw', 'data-drawn': String(room.draw.drawn) }, drawText(room)),
    room.onSale ? onSaleRecord(room.onSale) : h('p', { class: 'muted' }, 'No on-sale configured: anyone may buy.'),
  );

/** Shows what `load` returns as room cards, and refreshes it while the page is open. */
const renderRooms = (root, title, load) => {
  let timer;
  let stopped = false;
  const results = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  const updated = h('span', { class: 'muted small' });

  const refresh = async () => {
    clearTimeout(timer);
    try {
      const rooms = await load();
      if (stopped) return;
      results.replaceChildren(
        ...(rooms.length > 0 ? rooms.map(roomCard) : [h('p', { class: 'empty' }, 'No gated concert: configure one with npm run concert -- onsale.')]),
      );
      updated.textContent = `updated ${new Date().toISOString().slice(11, 19)} UTC`;
    } catch (error) {
      if (!stopped) results.replaceChildren(errorBox(error.message));
    }
    if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
  };

  root.append(h('div', { class: 'toolbar' }, h('h1', {}, title), updated), h('div', { 'data-testid': 'waiting-rooms' }, results));
  void refresh();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
};

export const renderWaitingRooms = (root) => renderRooms(root, 'Waiting rooms', async () => (await fetchWaitingRooms()).rooms);

export const renderWaitingRoom = (root, concertId) => {
  root.append(h('a', { class: 'back', href: '#/waiting-rooms' }, '← All waiting rooms'));
  return renderRooms(root, `Waiting room of ${concertId}`, async () => [await fetchWaitingRoom(concertId)]);
};
