import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { bytesBySource, decodeSegment, packageOf, packageWeights } from '#tools/bench/bundle-contents';

describe('decodeSegment', () => {
  it('reads one-digit values with their sign', () => {
    expect(decodeSegment('AACD')).toEqual([0, 0, 1, -1]);
  });

  it('reads values that continue over several digits', () => {
    expect(decodeSegment('2HgB')).toEqual([123, 16]);
  });

  it('refuses a character outside Base64', () => {
    expect(() => decodeSegment('A!')).toThrow(SyntaxError);
  });
});

describe('packageOf', () => {
  it('names a scoped package by scope and name', () => {
    expect(packageOf('../../node_modules/@smithy/core/dist-es/submodules/serde/index.js')).toBe('@smithy/core');
  });

  it('names a nested package by the innermost node_modules', () => {
    expect(packageOf('../../node_modules/aws-xray-sdk-core/node_modules/semver/index.js')).toBe('semver');
  });

  it('names our own code by its top two folders', () => {
    expect([packageOf('../../domain/orders/purchase.ts'), packageOf('../../handlers/get-purchase.ts')]).toEqual(['domain/orders', 'handlers/get-purchase.ts']);
  });
});

describe('bytesBySource', () => {
  it('counts each mapped stretch of a line for its source, and the unmapped ones for none', () => {
    // Prepare: line 0 is a.js for 4 bytes, b.ts for 4, then 2 unmapped; line 1 is b.ts for 2 (the source carries over)
    const map = { version: 3, sources: ['node_modules/x/a.js', '../../handlers/b.ts'], mappings: 'AAAA,ICAA,I;AAAA' };

    // Act
    const bytes = bytesBySource('aaaabbbb--\ncc', map);

    // Assess
    expect(Object.fromEntries(bytes)).toEqual({ 'node_modules/x/a.js': 4, '../../handlers/b.ts': 6 });
  });
});

describe('packageWeights', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bundle-contents-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('weighs the packages of a bundle esbuild built, heaviest first', () => {
    // Prepare
    mkdirSync(join(dir, 'node_modules', 'heavy'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'heavy', 'index.js'), `exports.table = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `entry-${i}`))};`);
    writeFileSync(join(dir, 'main.js'), "exports.handler = () => require('heavy').table.length;");
    const outfile = join(dir, 'out', 'index.js');
    buildSync({ entryPoints: [join(dir, 'main.js')], bundle: true, platform: 'node', format: 'cjs', minify: true, sourcemap: true, outfile, logLevel: 'silent' });

    // Act
    const weights = packageWeights(outfile);

    // Assess
    expect(weights[0]?.name).toBe('heavy');
    expect(weights[0]?.bytes).toBeGreaterThan(4000);
    expect(weights.map((weight) => weight.name)).toContain('main.js');
  });
});
