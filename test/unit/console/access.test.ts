import { createAccessGate, newConsoleSecret, type AccessRequest } from '#tools/console/access';

const PORT = 3100;
const SECRET = 'the-secret-of-this-start';
const COOKIE = `ticketing-console-${PORT}=${SECRET}`;
const gate = createAccessGate({ port: PORT, secret: SECRET });

const request = (path: string, headers: AccessRequest['headers'] = {}, method = 'GET'): AccessRequest => ({
  method,
  url: new URL(path, 'http://127.0.0.1'),
  headers: { host: `127.0.0.1:${PORT}`, cookie: COOKIE, ...headers },
});

test('a new secret each start, URL-safe and long enough not to be guessed', () => {
  const [first, second] = [newConsoleSecret(), newConsoleSecret()];

  expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(second).not.toBe(first);
});

test.each([`127.0.0.1:${PORT}`, `localhost:${PORT}`, `[::1]:${PORT}`, `LOCALHOST:${PORT}`])('Host %s is the console', (host) => {
  expect(gate(request('/api/about', { host }))).toEqual({ kind: 'allow' });
});

test.each([
  ['a rebound name', `attacker.example:${PORT}`],
  ['another port', '127.0.0.1:3101'],
  ['no port', '127.0.0.1'],
  ['a name ending like ours', `evil.localhost:${PORT}`],
  ['none at all', undefined],
])('Host with %s is misdirected, even with the cookie', (_case, host) => {
  expect(gate(request('/api/about', { host }))).toMatchObject({ kind: 'refuse', status: 421 });
});

test('on port 80 a browser leaves the port out, and the bare name is the console', () => {
  const onDefaultPort = createAccessGate({ port: 80, secret: SECRET });

  expect(onDefaultPort(request('/', { host: 'localhost', cookie: `ticketing-console-80=${SECRET}` }))).toEqual({ kind: 'allow' });
});

test.each([
  ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ['Sec-Fetch-Site: same-site (another server on this machine)', { 'sec-fetch-site': 'same-site' }],
  ['a foreign Origin', { origin: 'https://attacker.example' }],
  ['the Origin of another local port', { origin: 'http://127.0.0.1:8080' }],
  ['Origin: null', { origin: 'null' }],
])('the API refuses %s, even with the cookie', (_case, headers) => {
  expect(gate(request('/api/executions', headers))).toMatchObject({ kind: 'refuse', status: 403 });
});

test.each([
  ['its own page', { 'sec-fetch-site': 'same-origin', origin: `http://127.0.0.1:${PORT}` }],
  ['a URL typed in the address bar', { 'sec-fetch-site': 'none' }],
  ['a client without fetch metadata', {}],
])('the API answers %s', (_case, headers) => {
  expect(gate(request('/api/executions', headers))).toEqual({ kind: 'allow' });
});

test.each([
  ['no cookie', undefined],
  ['a wrong cookie', `ticketing-console-${PORT}=guess`],
  ['the cookie of a console on another port', `ticketing-console-3101=${SECRET}`],
  ['an empty cookie', `ticketing-console-${PORT}=`],
])('with %s, pages and the API are refused', (_case, cookie) => {
  for (const path of ['/', '/assets/app.js', '/api/about']) {
    expect(gate(request(path, { cookie }))).toMatchObject({ kind: 'refuse', status: 401, error: expect.stringContaining('open the URL') });
  }
});

test('the cookie is found among others', () => {
  expect(gate(request('/', { cookie: `theme=dark; ${COOKIE}; other=1` }))).toEqual({ kind: 'allow' });
});

test('the secret URL sets a cookie that page scripts and other sites cannot use, and sends the browser to the bare page', () => {
  expect(gate(request(`/login?secret=${SECRET}`, { cookie: undefined }))).toEqual({
    kind: 'login',
    setCookie: `ticketing-console-${PORT}=${SECRET}; HttpOnly; SameSite=Strict; Path=/`,
    location: '/',
  });
});

test.each(['/login', '/login?secret=guess', `/login?secret=${SECRET}x`])('%s signs nobody in', (path) => {
  expect(gate(request(path, { cookie: undefined }))).toMatchObject({ kind: 'refuse', status: 401 });
});

test('the secret URL under a foreign Host is misdirected, not a sign-in', () => {
  expect(gate(request(`/login?secret=${SECRET}`, { host: `attacker.example:${PORT}`, cookie: undefined }))).toMatchObject({ kind: 'refuse', status: 421 });
});
