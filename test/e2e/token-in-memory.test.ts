import { decodeJwt } from 'jose';
import { main } from '#tools/token';
import { ApiClient } from '#test/e2e/support/api-client';
import { DEMO_CONCERT_ID, useLocalRuntime } from '#test/e2e/support/runtime';
import { bufferedIo } from '#test/unit/tools/ops/support';

/**
 * `npm run token -- <buyer>` against `npm start -- --in-memory`: the runtime
 * keeps its key only in memory, so the command asks its issuer, found through
 * the registration the issuer writes while it runs.
 */

describe('npm run token with an in-memory runtime running', () => {
  const local = useLocalRuntime();

  it("mints a token the runtime's API accepts for that buyer", async () => {
    // Prepare: --pid, because other test files may run their own in-memory runtime meanwhile.
    const { runtime } = local();
    const out = bufferedIo();

    // Act
    const code = await main(['e2e-token-buyer', '--pid', String(process.pid)], out.io);
    const token = out.stdout().trim();
    const seats = await new ApiClient(runtime.apiUrl, token).get(`/concerts/${DEMO_CONCERT_ID}/seats`);

    // Assess
    expect({ code, stderr: out.stderr() }).toEqual({ code: 0, stderr: '' });
    expect(decodeJwt(token).sub).toBe('e2e-token-buyer');
    expect(seats.status).toBe(200);
  });

  it('no longer finds it once it stopped', async () => {
    // Prepare
    await local().runtime.stop();
    const out = bufferedIo();

    // Act
    const code = await main(['e2e-token-buyer', '--pid', String(process.pid)], out.io);

    // Assess
    expect(code).toBe(1);
    expect(out.stderr()).toMatch(new RegExp(`^error: no in-memory runtime of process ${process.pid} is running`));
  });
});
