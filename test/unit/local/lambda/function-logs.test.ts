import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileLogSink } from '#local/lambda/function-logs';

const line = (functionName: string, message: string) => ({ functionName, stream: 'stdout' as const, message, time: new Date() });

describe('fileLogSink', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'function-logs-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('writes each function its own file, lines in the order they came, by close at the latest', async () => {
    // Prepare
    const sink = fileLogSink(directory);

    // Act
    sink.write(line('Reserve', 'START'));
    sink.write(line('Charge', 'START'));
    sink.write(line('Reserve', 'multi\rpart'));
    await sink.close();

    // Assess
    expect(await readFile(join(directory, 'Reserve.log'), 'utf8')).toBe('START\nmulti\rpart\n');
    expect(await readFile(join(directory, 'Charge.log'), 'utf8')).toBe('START\n');
  });

  it('appends the lines of later turns of the event loop to the same file', async () => {
    // Prepare
    const sink = fileLogSink(directory);
    sink.write(line('Reserve', 'first'));
    await new Promise((resolve) => setImmediate(resolve));

    // Act
    sink.write(line('Reserve', 'second'));
    await sink.close();

    // Assess
    expect(await readFile(join(directory, 'Reserve.log'), 'utf8')).toBe('first\nsecond\n');
  });
});
