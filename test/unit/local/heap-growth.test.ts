import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const CHURN = join(__dirname, 'fixtures', 'heap-churn.ts');

const largestHeapOf = (mode: 'limited' | 'default'): number => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', CHURN, mode], { encoding: 'utf8', cwd: join(__dirname, '..', '..', '..') });
  if (run.status !== 0) throw new Error(`heap-churn ${mode} exited with ${run.status}: ${run.stderr}`);
  return Number(run.stdout);
};

describe('limitHeapGrowth', () => {
  // The same garbage, the same live set: only how far V8 lets the heap grow past what it keeps alive differs.
  test('a heap grows less past what it keeps alive than V8 lets it by default', () => {
    const limited = largestHeapOf('limited');
    const unlimited = largestHeapOf('default');

    expect(limited).toBeGreaterThan(0);
    expect(limited).toBeLessThan(unlimited * 0.85);
  }, 60_000);
});
