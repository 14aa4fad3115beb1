import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { lambdaFunctionArn, parseArn } from '#local/arns';
import type { LocalFunction } from './local-app.ts';
import { readProperties, requireServable, type PropertyPolicy, type ResourceView } from './resource-support.ts';
import { TemplateError } from './template-errors.ts';

/**
 * AWS::Lambda::Function -> LocalFunction. The code is the bundle the cloud
 * assembly holds for the function's S3 key (what deploys is what runs).
 */

/** Finds the directory of a bundled asset from the S3 object key the template deploys it under. */
export type AssetLocator = (s3Key: string) => string | undefined;

const FUNCTION_POLICY: PropertyPolicy = {
  served: [
    'Code',
    'Handler',
    'Runtime',
    'Environment',
    'Timeout',
    'MemorySize',
    'FunctionName',
    'ReservedConcurrentExecutions',
    'PackageType',
    'DeadLetterConfig',
    'Role',
  ],
  ignored: {
    Architectures: 'bundles are JavaScript and run on the local CPU',
    Description: 'descriptions have no behaviour',
    Tags: 'tags have no behaviour',
    TracingConfig: 'X-Ray tracing is turned off locally (POWERTOOLS_TRACE_ENABLED=false)',
    LoggingConfig: 'function output goes to the local log sink as the lines the code writes',
    KmsKeyArn: 'local environments are not encrypted',
    EphemeralStorage: 'functions use the local disk',
    SnapStart: 'local workers start from the bundle every time',
    RuntimeManagementConfig: 'the local Node.js runs every function',
    RecursiveLoop: 'recursion detection is a service safeguard with no effect on a correct application',
    VpcConfig: 'there is no VPC locally: functions reach the local endpoints directly',
    CodeSigningConfigArn: 'the local bundle is the one just synthesized',
  },
  unsupported: {
    Layers: 'layers are not unpacked locally: bundle what the function needs',
    FileSystemConfigs: 'EFS is not emulated',
    ImageConfig: 'container image functions are not run locally',
  },
};

/** Lambda defaults when the template leaves them out. */
const DEFAULT_TIMEOUT_SECONDS = 3;
const DEFAULT_MEMORY_MB = 128;

const functionPropertiesSchema = z.object({
  Code: z.looseObject({ S3Bucket: z.string().optional(), S3Key: z.string().optional(), ZipFile: z.string().optional(), ImageUri: z.string().optional() }),
  Handler: z.string().regex(/^[^.]+(\.[^.]+)+$/, 'must look like "module.export"'),
  Runtime: z.string().min(1),
  Environment: z.object({ Variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional() }).optional(),
  Timeout: z.coerce.number().int().positive().optional(),
  MemorySize: z.coerce.number().int().positive().optional(),
  FunctionName: z.string().min(1).optional(),
  ReservedConcurrentExecutions: z.coerce.number().int().nonnegative().optional(),
  PackageType: z.enum(['Zip', 'Image']).optional(),
  DeadLetterConfig: z.object({ TargetArn: z.string().min(1).optional() }).optional(),
  Role: z.string().regex(/^arn:[^:]+:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN').optional(),
});

const HANDLER_EXTENSIONS = ['.js', '.mjs', '.cjs'];

/** The file Lambda's Node.js runtime loads for a handler such as `index.handler`. */
const handlerModuleFile = (codeDir: string, handler: string): string | undefined => {
  const modulePath = handler.slice(0, handler.lastIndexOf('.'));
  return HANDLER_EXTENSIONS.map((extension) => join(codeDir, `${modulePath}${extension}`)).find((file) => existsSync(file));
};

export const FUNCTION_TYPES = ['AWS::Lambda::Function'] as const;

export const mapFunction = (resource: ResourceView, locateAsset: AssetLocator): LocalFunction => {
  const properties = readProperties(resource, FUNCTION_POLICY, functionPropertiesSchema);
  const { Code: code } = properties;
  requireServable(resource, 'PackageType', properties.PackageType !== 'Image', 'container image functions are not run locally');
  requireServable(resource, 'Runtime', properties.Runtime.startsWith('nodejs'), `only Node.js functions run locally, not ${properties.Runtime}`);
  requireServable(resource, 'Code', code.S3Key !== undefined, 'only bundled code from the cloud assembly runs locally (no inline ZipFile or image)');
  const codeDir = locateAsset(code.S3Key ?? '');
  if (!codeDir) {
    throw new TemplateError(`Function ${resource.logicalId}: no asset in the cloud assembly for code ${code.S3Key}; synthesize again (npx cdk synth)`);
  }
  if (!handlerModuleFile(codeDir, properties.Handler)) {
    throw new TemplateError(`Function ${resource.logicalId}: handler ${properties.Handler} has no module file in ${codeDir}`);
  }
  const deadLetterTarget = properties.DeadLetterConfig?.TargetArn;
  requireServable(resource, 'DeadLetterConfig', deadLetterTarget === undefined || parseArn(deadLetterTarget)?.service === 'sqs', `only SQS dead-letter queues are served, not ${deadLetterTarget}`);
  const name = properties.FunctionName ?? resource.logicalId;
  const variables = properties.Environment?.Variables ?? {};
  return {
    logicalId: resource.logicalId,
    name,
    arn: lambdaFunctionArn(name),
    handler: properties.Handler,
    codeDir,
    runtime: properties.Runtime,
    environment: Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, String(value)])),
    timeoutSeconds: properties.Timeout ?? DEFAULT_TIMEOUT_SECONDS,
    memoryMb: properties.MemorySize ?? DEFAULT_MEMORY_MB,
    ...(properties.ReservedConcurrentExecutions !== undefined ? { reservedConcurrency: properties.ReservedConcurrentExecutions } : {}),
    ...(deadLetterTarget ? { deadLetterQueueArn: deadLetterTarget } : {}),
    ...(properties.Role ? { roleArn: properties.Role } : {}),
  };
};
