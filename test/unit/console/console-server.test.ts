import { startConsole, type ConsoleService } from '#tools/console/console-server';
import { loadLocalConfig } from '#tools/ops/config';
import { writeRuntimeFile } from '#test/unit/tools/ops/support';
import { DECLINED, fakeConsolePorts } from './support.ts';

let console: ConsoleService;

beforeAll(async () => {
  console = await startConsole({ config: loadLocalConfig(writeRuntimeFile()), ports: fakeConsolePorts() });
});

afterAll(async () => {
  await console.stop();
});

const fetchPath = (path: string, init?: RequestInit) => fetch(new URL(path, console.url), init);

test('listens on the loopback interface only', () => {
  expect(console.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  expect(console.endpoint).toBe(console.url);
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
});

test('refuses to change anything', async () => {
  const response = await fetchPath('/api/executions', { method: 'DELETE' });

  expect(response.status).toBe(405);
});

test('stop frees the port', async () => {
  const other = await startConsole({ config: loadLocalConfig(writeRuntimeFile()), ports: fakeConsolePorts() });

  await other.stop();

  await expect(fetch(other.url)).rejects.toThrow();
});
