import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Validations } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { z } from 'zod';
import { STACK_NAME } from '#infra/outputs';
import { cliContext } from '#infra/synth';
import { createTicketingApp } from '#infra/ticketing-app';

/**
 * The synth `npx cdk synth` runs: cdk.json's flags, every function bundled,
 * the CloudFormation schema and rule validation, and the cdk-nag AwsSolutions
 * checks. One synth for the whole file (bundling is the slow part).
 */

/** Every resource type the template may declare: the local runtime serves or deliberately ignores each one. */
const EXPECTED_RESOURCE_TYPES = [
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::Authorizer',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::Stage',
  'AWS::CloudWatch::Alarm',
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
  'AWS::DynamoDB::Table',
  'AWS::Events::Archive',
  'AWS::Events::EventBus',
  'AWS::Events::Rule',
  'AWS::IAM::Policy',
  'AWS::IAM::Role',
  'AWS::Lambda::EventSourceMapping',
  'AWS::Lambda::Function',
  'AWS::Lambda::Permission',
  'AWS::Logs::LogGroup',
  'AWS::SNS::Topic',
  'AWS::SNS::TopicPolicy',
  'AWS::SQS::Queue',
  'AWS::SQS::QueuePolicy',
  'AWS::StepFunctions::StateMachine',
];

/**
 * Packages that must be inside every bundle, not expected from the Lambda
 * runtime, as esbuild writes their requires. (The SDK's optional CRT signer
 * stays a guarded require: it loads only where that native package exists.)
 */
const MUST_BE_BUNDLED = /require\("(@aws-sdk\/(?!signature-v4-crt")|@smithy\/|@aws-lambda-powertools\/|zod")/;

/**
 * Code no function runs, which infra/constructs/functions.ts replaces with a
 * stand-in: the SDK's credential chain beyond the environment, its
 * event-stream support, DynamoDB's endpoint discovery cache (and mnemonist's
 * LRU cache under it), and the parts of the X-Ray SDK that Powertools' Tracer
 * does not use on Lambda (its entry, instance-metadata plugins, SQL and
 * promise capture, AWS SDK v2 capture and the semver it checks versions
 * with), and cls-hooked, whose async hooks AsyncLocalStorage replaces.
 */
const MUST_STAY_OUT = [
  '/@aws-sdk/credential-provider-node/',
  '/@smithy/core/dist-es/submodules/event-streams/',
  '/node_modules/semver/',
  '/aws-xray-sdk-core/dist/lib/aws-xray.js',
  '/aws-xray-sdk-core/dist/lib/segments/plugins/',
  '/aws-xray-sdk-core/dist/lib/database/',
  '/aws-xray-sdk-core/dist/lib/patchers/promise_p.js',
  '/aws-xray-sdk-core/dist/lib/patchers/aws_p.js',
  '/node_modules/cls-hooked/',
  '/@aws-sdk/endpoint-cache/',
  '/node_modules/mnemonist/',
];

/**
 * The most a bundle may weigh (index.js). Today's are 380 to 463 KiB; what
 * once made them 1 MB (zod's locales through `import { z }`, the SDK's
 * whole credential chain, clients a handler never calls) would cross it.
 */
const MAX_BUNDLE_BYTES = 500 * 1024;

const reportSchema = z.object({
  pluginReports: z.array(
    z.object({
      pluginName: z.string(),
      violations: z.array(
        z.object({
          ruleName: z.string(),
          severity: z.string(),
          violatingConstructs: z.array(z.object({ constructPath: z.string().optional() })).default([]),
        }),
      ),
    }),
  ),
});
const templateSchema = z.object({
  Resources: z.record(z.string(), z.object({ Type: z.string(), Metadata: z.record(z.string(), z.unknown()).optional() })),
  Parameters: z.record(z.string(), z.unknown()).optional(),
  Conditions: z.record(z.string(), z.unknown()).optional(),
});

let outdir: string;
let assembly: CloudAssembly | undefined;
let synthError: unknown;
let acknowledgements: Array<{ id: string; reason: string; path: string }>;

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'ticketing-synth-'));
  const { app } = createTicketingApp({ outdir, context: cliContext() });
  try {
    assembly = app.synth();
  } catch (error) {
    synthError = error;
  }
  acknowledgements = app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(z.record(z.string(), z.string()).parse(entry.data)).map(([id, reason]) => ({ id, reason, path: construct.node.path })),
      ),
  );
});

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

const template = () => {
  if (assembly === undefined) throw new Error(`synth failed: ${String(synthError)}`);
  return templateSchema.parse(assembly.getStackByName(STACK_NAME).template);
};

describe('npx cdk synth', () => {
  it('succeeds with cdk-nag and the CloudFormation validation on', () => {
    // Assess
    expect(synthError).toBeUndefined();
  });

  it('leaves no unacknowledged finding, error or warning', () => {
    // Act
    const report = reportSchema.parse(JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')));
    const findings = report.pluginReports.flatMap((plugin) =>
      plugin.violations.flatMap((violation) =>
        violation.violatingConstructs.map((construct) => `${plugin.pluginName} ${violation.severity} ${violation.ruleName} at ${construct.constructPath}`),
      ),
    );

    // Assess
    expect(findings).toEqual([]);
  });

  it('acknowledges findings one by one, each with its reason', () => {
    // Assess
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const acknowledgement of acknowledgements) {
      // On the resource concerned, never on the stack or the app.
      expect(acknowledgement.path).toMatch(new RegExp(`^${STACK_NAME}/.+`));
      expect(acknowledgement.reason.length).toBeGreaterThan(40);
    }
    for (const wildcard of acknowledgements.filter((acknowledgement) => acknowledgement.id.includes('IAM5'))) {
      expect(wildcard.id).toMatch(/\[(Resource|Action)::.+\]$/);
    }
  });

  it('writes the template under the stable stack name the local runtime reads', () => {
    // Act
    const stack = assembly?.getStackByName(STACK_NAME);

    // Assess
    expect(stack?.templateFile).toBe(`${STACK_NAME}.template.json`);
    expect(existsSync(path.join(outdir, `${STACK_NAME}.template.json`))).toBe(true);
  });

  it('declares only plain resource types: no custom resource, no CDK metadata, no condition', () => {
    // Act
    const types = [...new Set(Object.values(template().Resources).map((resource) => resource.Type))].sort();

    // Assess
    expect(types).toEqual([...EXPECTED_RESOURCE_TYPES].sort());
    expect(template().Conditions).toBeUndefined();
    expect(Object.keys(template().Parameters ?? {})).toEqual(['BootstrapVersion']);
  });

  it('bundles every function on its own, dependencies included, with a source map', () => {
    // Prepare
    const functions = Object.values(template().Resources).filter((resource) => resource.Type === 'AWS::Lambda::Function');

    // Act
    const bundles = functions.map((resource) => path.join(outdir, z.string().parse(resource.Metadata?.['aws:asset:path']), 'index.js'));

    // Assess
    expect(new Set(bundles).size).toBe(functions.length);
    for (const bundle of bundles) {
      expect(statSync(bundle).size).toBeGreaterThan(0);
      expect(existsSync(`${bundle}.map`)).toBe(true);
      expect(readFileSync(bundle, 'utf8')).not.toMatch(MUST_BE_BUNDLED);
    }
  });

  it('keeps every bundle under its size budget', () => {
    // Prepare
    const functions = Object.values(template().Resources).filter((resource) => resource.Type === 'AWS::Lambda::Function');

    // Act
    const sizes = functions.map((resource) => statSync(path.join(outdir, z.string().parse(resource.Metadata?.['aws:asset:path']), 'index.js')).size);

    // Assess
    for (const size of sizes) expect(size).toBeLessThanOrEqual(MAX_BUNDLE_BYTES);
  });

  it('leaves out the code the stand-ins replace', () => {
    // Prepare
    const functions = Object.values(template().Resources).filter((resource) => resource.Type === 'AWS::Lambda::Function');

    // Act: the files each bundle was built from, as its source map lists them
    const sources = functions.flatMap((resource) => {
      const map = path.join(outdir, z.string().parse(resource.Metadata?.['aws:asset:path']), 'index.js.map');
      return z.object({ sources: z.array(z.string()) }).parse(JSON.parse(readFileSync(map, 'utf8'))).sources;
    });

    // Assess
    expect(sources.filter((source) => MUST_STAY_OUT.some((left) => source.includes(left)))).toEqual([]);
    expect(sources.some((source) => source.endsWith('handlers/commons/no-event-streams.ts'))).toBe(true);
    expect(sources.some((source) => source.endsWith('handlers/commons/cls-on-async-local-storage.ts'))).toBe(true);
    expect(sources.some((source) => source.endsWith('handlers/commons/lambda-xray-sdk.ts'))).toBe(true);
    expect(sources.some((source) => source.endsWith('handlers/commons/no-endpoint-discovery.ts'))).toBe(true);
  });
});
