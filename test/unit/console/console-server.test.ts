import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import type { ConsolePorts } from '#tools/console/api';
import { startConsole, type ConsoleService } from '#tools/console/console-server';
import { loadLocalConfig } from '#tools/ops/config';
import { writeRuntimeFile } from '#test/unit/tools/ops/support';
import { DECLINED, fakeConsolePorts } from './support.ts';

let console: ConsoleService;
let cookie: string;
/** Every call the console made to its ports: a refused request makes none. */
const portCalls: string[] = [];

const recorded = <T extends object>(name: string, port: T): T =>
  new Proxy(port, {
    get: (target, key) => {
      const value: unknown = Reflect.get(target, key);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        portCalls.push(`${name}.${String(key)}`);
        return Reflect.apply(value, target, args);
      };
    },
  });

const recordedPorts = (): ConsolePorts => {
  const ports = fakeConsolePorts();
  return {
    executions: recorded('executions', ports.executions),
    purchases: recorded('purchases', ports.purchases),
    stateMachine: recorded('stateMachine', ports.stateMachine),
    waitingRooms: recorded('waitingRooms', ports.waitingRooms),
    contextMapPage: recorded('contextMapPage', { read: ports.contextMapPage }).read,
    ...(ports.archive ? { archive: recorded('archive', ports.archive) } : {}),
  };
};

/** Opens the printed URL as a browser would, without following the redirect, and keeps the cookie it sets. */
const signIn = async (service: ConsoleService) => {
  const response = await fetch(service.loginUrl, { redirect: 'manual' });
  return { response, cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '' };
};

beforeAll(async () => {
  console = await startConsole({ config: loadLocalConfig(writeRuntimeFile()), ports: recordedPorts() });
  ({ cookie } = await signIn(console));
});

beforeEach(() => {
  portCalls.length = 0;
});

afterAll(async () => {
  await console.stop();
});

const fetchPath = (path: string, init?: RequestInit) => fetch(new URL(path, console.url), { ...init, headers: { cookie, ...init?.headers } });

/** node:http, because fetch sets the Host header itself. */
const requestWithHeaders = (path: string, headers: OutgoingHttpHeaders) =>
  new Promise<{ status: number; body: string; setCookie: string[] | undefined }>((resolveResponse, reject) => {
    const outgoing = httpRequest(new URL(path, console.url), { headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolveResponse({ status: response.statusCode ?? 0, body, setCookie: response.headers['set-cookie'] }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });

test('listens on the loopback interface only, and prints a URL with a secret of its own', async () => {
  const other = await startConsole({ config: loadLocalConfig(writeRuntimeFile()), ports: fakeConsolePorts() });
  await other.stop();

  expect(console.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  expect(console.endpoint).toBe(console.url);
  expect(console.loginUrl).toMatch(new RegExp(`^${console.url}login\\?secret=[A-Za-z0-9_-]{43}$`));
  expect(new URL(other.loginUrl).searchParams.get('secret')).not.toBe(new URL(console.loginUrl).searchParams.get('secret'));
});

test('the printed URL sets an HttpOnly, SameSite=Strict cookie and sends the browser to the bare page', async () => {
  const { response } = await signIn(console);

  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe('/');
  expect(response.headers.get('set-cookie')).toMatch(/^ticketing-console-\d+=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/$/);
});

test('with the cookie, the page and the API answer', async () => {
  const [page, api] = await Promise.all([fetchPath('/'), fetchPath('/api/about')]);

  expect(page.status).toBe(200);
  expect(api.status).toBe(200);
});

const rebound = () => `attacker.example:${new URL(console.url).port}`;

test.each([
  ['a rebound DNS name', rebound],
  ['the console on another port', () => '127.0.0.1:1'],
])('a Host of %s is refused with a JSON error and no data, even with the cookie', async (_case, hostOf) => {
  const host = hostOf();

  const response = await requestWithHeaders(`/api/purchases/${DECLINED}`, { host, cookie });

  expect(response.status).toBe(421);
  expect(JSON.parse(response.body)).toEqual({ error: expect.stringContaining('answers only to 127.0.0.1:') });
  expect(portCalls).toEqual([]);
});

test('the printed URL under a foreign Host signs nobody in', async () => {
  const { pathname, search } = new URL(console.loginUrl);

  const response = await requestWithHeaders(pathname + search, { host: rebound() });

  expect(response.status).toBe(421);
  expect(response.setCookie).toBeUndefined();
});

test.each([
  ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ['a foreign Origin', { origin: 'https://attacker.example' }],
])('a cross-site API request (%s) is refused, even with the cookie', async (_case, headers) => {
  const response = await fetchPath(`/api/purchases/${DECLINED}`, { headers });

  expect(response.status).toBe(403);
  expect(await response.json()).toEqual({ error: 'the console API answers only its own pages' });
  expect(portCalls).toEqual([]);
});

const cookieName = () => cookie.split('=')[0] ?? '';

test.each([
  ['no cookie', () => ({})],
  ['a wrong cookie', () => ({ cookie: `${cookieName()}=guess` })],
])('with %s the API says to open the printed URL, and reads nothing', async (_case, headers) => {
  const response = await fetch(new URL(`/api/purchases/${DECLINED}`, console.url), { headers: headers() });

  expect(response.status).toBe(401);
  expect(await response.json()).toEqual({ error: expect.stringContaining('open the URL that npm run console (or npm start) printed') });
  expect(response.headers.get('set-cookie')).toBeNull();
  expect(portCalls).toEqual([]);
});

test('with a wrong cookie the page and its assets are refused with a page that says what to open', async () => {
  const [page, asset] = await Promise.all(['/', '/assets/app.js'].map((path) => fetch(new URL(path, console.url), { headers: { cookie: `${cookieName()}=guess` } })));

  expect(page?.status).toBe(401);
  expect(page?.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(await page?.text()).toContain('open the URL that npm run console (or npm start) printed');
  expect(asset?.status).toBe(401);
});

test('a wrong secret in the URL signs nobody in', async () => {
  const response = await fetch(new URL('/login?secret=guess', console.url), { redirect: 'manual' });

  expect(response.status).toBe(401);
  expect(response.headers.get('set-cookie')).toBeNull();
});

test('serves the single-page app with a policy that allows only its own scripts and styles', async () => {
  const response = await fetchPath('/');

  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect(await response.text()).toContain('<script type="module" src="/assets/app.js"></script>');
});

test('serves the JavaScript modules with their type', async () => {
  const response = await fetchPath('/assets/purchase-view.js');

  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
});

test.each(['/assets/..%2Fconsole-server.ts', '/assets/%2e%2e/api.ts', '/assets/missing.js', '/package.json', '/assets/%E0%A4%A'])('%s is not found', async (path) => {
  const response = await fetchPath(path);

  expect(response.status).toBe(404);
});

test('answers the JSON API', async () => {
  const response = await fetchPath(`/api/purchases/${DECLINED}`);

  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(await response.json()).toMatchObject({ purchaseId: DECLINED, status: 'SUCCEEDED' });
  expect(portCalls).toContain('executions.describe');
});

test('refuses to change anything', async () => {
  const response = await fetchPath('/api/executions', { method: 'DELETE' });

  expect(response.status).toBe(405);
});

test('stop frees the port', async () => {
  const other = await startConsole({ config: loadLocalConfig(writeRuntimeFile()), ports: fakeConsolePorts() });

  await other.stop();

  await expect(fetch(other.loginUrl)).rejects.toThrow();
});
