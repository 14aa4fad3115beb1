import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gte, SdkV2CaptureNotBundledError } from '#commons/no-sdk-v2-capture';

/** Every member of `semver` the X-Ray SDK's files call, e.g. `gte` for `semver.gte(...)`. */
const semverCallsOfXraySdk = (): string[] => {
  const root = dirname(require.resolve('aws-xray-sdk-core/package.json'));
  const files = readdirSync(join(root, 'dist', 'lib'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
  return files.flatMap((file) => {
    const source = readFileSync(join(root, 'dist', 'lib', file), 'utf8');
    const binding = /(\w+)\s*=\s*require\(['"]semver['"]\)/.exec(source)?.[1];
    return binding === undefined ? [] : [...source.matchAll(new RegExp(`\\b${binding}\\.(\\w+)`, 'g'))].map((match) => match[1] as string);
  });
};

describe('no-sdk-v2-capture (what the bundles load for semver)', () => {
  it('fails the version check of SDK v2 capture, saying why semver is not there', () => {
    // Act
    const comparing = () => gte();

    // Assess
    expect(comparing).toThrow(SdkV2CaptureNotBundledError);
    expect(comparing).toThrow(/captureAWSv3Client/);
  });

  it('stands in for every semver function the X-Ray SDK calls', () => {
    // Act
    const calls = semverCallsOfXraySdk();

    // Assess: an X-Ray SDK that needs more of semver must not get this module
    expect(new Set(calls)).toEqual(new Set(['gte']));
  });
});
