import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noFaults } from '#local/faults/chaos-settings';
import { readInjectedFaults, recordInjectedFaults } from '#local/faults/injected-faults-file';

describe('the injected-faults file', () => {
  let folder = '';

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'chaos-'));
  });

  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('reads as zero for every kind before any run wrote it', () => {
    // Prepare, Act
    const counts = readInjectedFaults(join(folder, 'chaos'));

    // Assess
    expect(counts).toEqual(noFaults());
  });

  it("adds a run's counts to the totals of the runs before it on the same folder", () => {
    // Prepare
    const chaosDir = join(folder, 'chaos');
    const firstRun = { ...noFaults(), 'lambda.throttled': 3 };
    recordInjectedFaults(chaosDir, () => firstRun).stop();
    const secondRun = { ...noFaults(), 'lambda.throttled': 2, 'dynamodb.latency': 5 };

    // Act
    recordInjectedFaults(chaosDir, () => secondRun).stop();

    // Assess
    expect(readInjectedFaults(chaosDir)).toEqual({ ...noFaults(), 'lambda.throttled': 5, 'dynamodb.latency': 5 });
  });

  it('holds the counts so far while the run goes on', () => {
    // Prepare
    const chaosDir = join(folder, 'chaos');
    const counts = noFaults();
    const recorder = recordInjectedFaults(chaosDir, () => counts);

    // Act
    counts['sqs.duplicateDelivery'] = 4;
    recorder.flush();

    // Assess
    expect(readInjectedFaults(chaosDir)['sqs.duplicateDelivery']).toBe(4);
    recorder.stop();
  });
});
