/**
 * Stands in for `semver` in the bundles (an esbuild alias in
 * infra/constructs/functions.ts). The X-Ray SDK that Powertools' Tracer loads
 * needs semver only in `captureAWS`, which patches the AWS SDK v2 and checks
 * its version first. The functions use SDK v3, traced by `captureAWSv3Client`,
 * so semver's 29 KB in every bundle never ran. Were SDK v2 capture ever called,
 * it would fail here, saying why.
 */

export class SdkV2CaptureNotBundledError extends Error {
  override readonly name = 'SdkV2CaptureNotBundledError';

  constructor() {
    super('semver is not bundled: the X-Ray SDK needs it only to capture AWS SDK v2 clients, and the functions use SDK v3 (tracer.captureAWSv3Client)');
  }
}

/** The one semver function the X-Ray SDK calls (`semver.gte(awssdk.VERSION, minVersion)` in captureAWS). */
export const gte = (): never => {
  throw new SdkV2CaptureNotBundledError();
};
