import { captureAsyncFunc, captureFunc } from 'aws-xray-sdk-core/dist/lib/capture';
import { getNamespace, getSegment, setContextMissingStrategy, setSegment } from 'aws-xray-sdk-core/dist/lib/context_utils';
import { setDaemonAddress } from 'aws-xray-sdk-core/dist/lib/daemon_config';
import { init as initLambdaFacade } from 'aws-xray-sdk-core/dist/lib/env/aws_lambda';
import { setLogger } from 'aws-xray-sdk-core/dist/lib/logger';
import { captureAWSClient as captureAWSv3Client } from 'aws-xray-sdk-core/dist/lib/patchers/aws3_p';
import { captureHTTPsGlobal } from 'aws-xray-sdk-core/dist/lib/patchers/http_p';
import Subsegment from 'aws-xray-sdk-core/dist/lib/segments/attributes/subsegment';
import Segment from 'aws-xray-sdk-core/dist/lib/segments/segment';
import SegmentUtils from 'aws-xray-sdk-core/dist/lib/segments/segment_utils';
import { name as sdkPackage, version as sdkVersion } from 'aws-xray-sdk-core/package.json';

/**
 * The X-Ray SDK as Powertools' Tracer uses it on Lambda. The bundles put this
 * module in the place of the SDK's entry, `aws-xray-sdk-core` (an esbuild
 * alias in infra/constructs/functions.ts), which requires every part of the
 * SDK at load: the EC2, ECS and Elastic Beanstalk plugins (they read instance
 * metadata, and only `AWSXRay.config([...])` runs them), SQL and promise
 * capture, and the patching of AWS SDK v2 clients with the semver it checks
 * versions with. The Tracer takes only the members below from the SDK
 * (@aws-lambda-powertools/tracer, provider/ProviderService.js and Tracer.js),
 * and the functions trace SDK v3 clients; the capture of v3 clients, of HTTP
 * calls, subsegments and the Lambda facade segment are the SDK's own code.
 */

const UNKNOWN = 'unknown';

export class SdkV2CaptureNotBundledError extends Error {
  override readonly name = 'SdkV2CaptureNotBundledError';

  constructor() {
    super('AWS SDK v2 capture is not bundled: the aws-xray-sdk-core alias in infra/constructs/functions.ts leaves it out, and the functions use SDK v3 (tracer.captureAWSv3Client)');
  }
}

const captureAWS = (): never => {
  throw new SdkV2CaptureNotBundledError();
};
const captureAWSClient = (): never => {
  throw new SdkV2CaptureNotBundledError();
};

// What the SDK's entry does when it loads (dist/lib/aws-xray.js): the SDK and service data every
// segment carries, and on Lambda the facade segment that the function's subsegments attach to.
// (SegmentUtils' setters keep the data on `this`.)
SegmentUtils.setSDKData({ sdk: 'X-Ray for Node.js', sdk_version: sdkVersion, package: sdkPackage });
SegmentUtils.setServiceData({
  runtime: process.release.name,
  runtime_version: process.version,
  version: process.env.npm_package_version ?? UNKNOWN,
  name: process.env.npm_package_name ?? UNKNOWN,
});
if (process.env.LAMBDA_TASK_ROOT) initLambdaFacade();

export default {
  captureAWS,
  captureAWSClient,
  captureAWSv3Client,
  captureAsyncFunc,
  captureFunc,
  captureHTTPsGlobal,
  getNamespace,
  getSegment,
  setSegment,
  Segment,
  Subsegment,
  setContextMissingStrategy,
  setDaemonAddress,
  setLogger,
};
