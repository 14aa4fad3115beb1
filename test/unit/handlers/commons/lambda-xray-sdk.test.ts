import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import xraySdk, { SdkV2CaptureNotBundledError } from '#commons/lambda-xray-sdk';

/** Every member Powertools' Tracer destructures from the X-Ray SDK, e.g. `captureFunc` in `const { captureFunc } = xraySdk`. */
const membersTheTracerTakes = (): string[] => {
  const root = join(dirname(require.resolve('@aws-lambda-powertools/tracer')), '..', 'esm');
  return ['provider/ProviderService.js', 'Tracer.js'].flatMap((file) => {
    const source = readFileSync(join(root, file), 'utf8');
    return [...source.matchAll(/const\s*\{([^}]*)\}\s*=\s*xraySdk/g)].flatMap((match) =>
      (match[1] as string)
        .split(',')
        .map((member) => member.split(':')[0]?.trim() ?? '')
        .filter(Boolean),
    );
  });
};

describe('lambda-xray-sdk (what the bundles load for aws-xray-sdk-core)', () => {
  it('has every member the Tracer takes from the SDK', () => {
    // Act
    const members = membersTheTracerTakes();

    // Assess: a Tracer that needs more of the SDK must not get this module
    expect(members.length).toBeGreaterThan(0);
    expect(new Set(Object.keys(xraySdk))).toEqual(new Set(members));
  });

  it('fails the capture of AWS SDK v2 clients, saying why it is not there', () => {
    // Act
    const capturing = () => xraySdk.captureAWSClient();

    // Assess
    expect(capturing).toThrow(SdkV2CaptureNotBundledError);
    expect(capturing).toThrow(/aws-xray-sdk-core alias.*captureAWSv3Client/);
    expect(() => xraySdk.captureAWS()).toThrow(SdkV2CaptureNotBundledError);
  });
});
