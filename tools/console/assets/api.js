/* global fetch, URLSearchParams */
/** The console's JSON API; a failed call throws with the server's own message. */

export const getJson = async (path) => {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  return body;
};

export const fetchAbout = () => getJson('/api/about');

export const fetchExecutions = ({ status, search }) => {
  const query = new URLSearchParams();
  if (status) query.set('status', status);
  if (search) query.set('search', search);
  return getJson(`/api/executions?${query}`);
};

export const fetchPurchase = (purchaseId) => getJson(`/api/purchases/${encodeURIComponent(purchaseId)}`);

export const fetchContextMap = () => getJson('/api/context-map');

export const fetchWaitingRooms = () => getJson('/api/waiting-rooms');

export const fetchWaitingRoom = (concertId) => getJson(`/api/waiting-rooms/${encodeURIComponent(concertId)}`);
