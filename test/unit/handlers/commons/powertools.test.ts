import { useHandlerEnv } from '../fixtures/http-event.ts';

useHandlerEnv({ POWERTOOLS_LOG_LEVEL: 'INFO' });
let logger: (typeof import('#commons/powertools'))['logger'];
beforeAll(async () => {
  ({ logger } = await import('#commons/powertools'));
});

/** The JSON lines the logger writes while `log` runs. */
const linesWrittenBy = (log: () => void): Array<Record<string, unknown>> => {
  const written: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    log();
  } finally {
    write.mockRestore();
  }
  return written.flatMap((chunk) => chunk.split('\n')).filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
};

it('never writes a payment token, even when a whole request is logged', () => {
  // Act
  const [line] = linesWrittenBy(() => logger.info('request', { request: { concertId: 'rock-night', paymentToken: 'tok_secret' } }));

  // Assess
  expect(line?.request).toEqual({ concertId: 'rock-night', paymentToken: '[REDACTED]' });
  expect(JSON.stringify(line)).not.toContain('tok_secret');
});

it('writes every other field as it is', () => {
  // Act
  const [line] = linesWrittenBy(() => logger.info('request', { request: { concertId: 'rock-night', paymentRef: 'tok_…rove' } }));

  // Assess
  expect(line?.request).toEqual({ concertId: 'rock-night', paymentRef: 'tok_…rove' });
});
