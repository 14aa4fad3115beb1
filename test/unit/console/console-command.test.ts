import { findFreePort } from '#local/index';
import { runConsole } from '#tools/console';
import { bufferedIo, writeRuntimeFile } from '#test/unit/tools/ops/support';

test.each([
  ['an unknown flag', ['--verbose']],
  ['a positional argument', ['extra']],
  ['a port that is not a number', ['--port', 'http']],
  ['a port out of range', ['--port', '70000']],
  ['--target aws without --outputs', ['--target', 'aws']],
])('%s is a usage error: exit 2 and the usage', async (_case, argv) => {
  const out = bufferedIo();

  const code = await runConsole(argv, out.io, async () => undefined);

  expect(code).toBe(2);
  expect(out.stderr()).toContain('Usage: npm run console --');
});

test('without a running local runtime it says how to start one', async () => {
  const out = bufferedIo();

  const code = await runConsole(['--runtime-file', '/nonexistent/runtime.json'], out.io, async () => undefined);

  expect(code).toBe(1);
  expect(out.stderr()).toContain('the local runtime is not running: start it with npm start');
});

test('serves the console on the given port until it is stopped, then exits 0', async () => {
  const port = await findFreePort();
  const out = bufferedIo();
  let served = 0;

  const code = await runConsole(['--runtime-file', writeRuntimeFile(), '--port', String(port)], out.io, async () => {
    const printed = /(http:\S+)/.exec(out.stdout())?.[1] ?? '';
    const signedIn = await fetch(printed, { redirect: 'manual' });
    served = (await fetch(`http://127.0.0.1:${port}/`, { headers: { cookie: signedIn.headers.get('set-cookie')?.split(';')[0] ?? '' } })).status;
  });

  expect(code).toBe(0);
  expect(served).toBe(200);
  expect(out.stdout()).toMatch(new RegExp(`^Web console for the local runtime: http://127\\.0\\.0\\.1:${port}/login\\?secret=[A-Za-z0-9_-]{43}  \\(Ctrl\\+C to stop\\)\n$`));
  await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
});
