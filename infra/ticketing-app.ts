import { App, Validations } from 'aws-cdk-lib';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { STACK_NAME } from './outputs.ts';
import { TicketingStack } from './ticketing-stack.ts';

export interface TicketingAppOptions {
  /**
   * Where the cloud assembly is written.
   * @default - the CLI's output directory, or a temporary directory in process
   */
  readonly outdir?: string;
  /**
   * Context (feature flags) for an in-process synth; the CLI passes cdk.json's itself.
   * @default - none
   */
  readonly context?: Record<string, unknown>;
  /**
   * Whether to bundle the functions. Tests that only read the template skip it
   * (the functions then point at placeholder assets).
   * @default true
   */
  readonly bundle?: boolean;
  /**
   * Whether CDK validates the template against the CloudFormation schemas and
   * rules (on top of cdk-nag), which costs several seconds of CPU.
   * @default true
   */
  readonly validateTemplate?: boolean;
}

/**
 * The CDK app: the ticketing stack under its stable name, with the cdk-nag
 * AwsSolutions checks run as a validation plugin at synth (an unacknowledged
 * error fails the synth). Shared by `infra/app.ts` (the CLI) and
 * `infra/synth.ts` (tests and tools), so both synthesize the same template.
 */
export const createTicketingApp = (options: TicketingAppOptions = {}): { app: App; stack: TicketingStack } => {
  const app = new App({
    outdir: options.outdir,
    // An empty bundling-stacks list is how the CDK CLI skips asset bundling (`--exclusively` and friends).
    context: options.bundle === false ? { ...options.context, [BUNDLING_STACKS]: [] } : options.context,
    builtinCloudFormationValidation: options.validateTemplate ?? true,
    // No AWS::CDK::Metadata resource: the template holds only what the system declares.
    analyticsReporting: false,
  });
  const stack = new TicketingStack(app, STACK_NAME, {
    description: 'Ticket purchase saga: HTTP API, SQS buffer, Step Functions Standard saga, EventBridge projections and archive',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
};
