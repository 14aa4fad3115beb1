import { executionArnFor } from '#local/arns';
import { LocalStepFunctions } from '#local/stepfunctions/local-step-functions';
import { MemoryExecutionStore } from '#local/stepfunctions/store';
import { buildLocalApp, type BuildLocalAppOptions } from '#local/template/build-local-app';
import type { LocalFunction, LocalStateMachine } from '#local/template/local-app';
import type { FunctionInvoker } from '#local/ports';

/**
 * The local runtime's engine without its servers, for the saga's workflow
 * tests: the synthesized template read through the same model `npm start`
 * serves, and its state machine run by the local Step Functions engine in the
 * caller's process against an invoker the caller brings (the handlers
 * imported directly). No ports, child processes or data folder.
 */

/** The one state machine of a template and the functions it may invoke, as the local runtime sees them. */
export interface InProcessTemplate {
  readonly stateMachine: LocalStateMachine;
  readonly functions: readonly LocalFunction[];
}

export type InProcessTemplateOptions = BuildLocalAppOptions;

/** Reads a synthesized template that declares exactly one state machine. */
export const readInProcessTemplate = (options: InProcessTemplateOptions): InProcessTemplate => {
  const app = buildLocalApp(options);
  const [stateMachine, ...others] = app.stateMachines;
  if (!stateMachine || others.length > 0) throw new Error(`Expected one state machine in the template, found ${app.stateMachines.length}`);
  return { stateMachine, functions: app.functions };
};

export interface InProcessStepFunctionsOptions {
  readonly stateMachine: LocalStateMachine;
  /** Answers the state machine's Lambda tasks. */
  readonly invoker: FunctionInvoker;
  /** Multiplies every Retry interval of the state machine, e.g. 0.01. @default 1 */
  readonly retryDelayScale?: number;
}

/** The part of the Step Functions API a workflow test drives, with the execution history it asserts on. */
export interface InProcessStepFunctions
  extends Pick<LocalStepFunctions, 'startExecution' | 'describeExecution' | 'waitForExecution' | 'getExecutionHistory' | 'redriveExecution' | 'close'> {
  /** The ARN of the execution named `executionName` (the saga names them after the purchaseId). */
  executionArnOf(executionName: string): string;
}

/** The state machine registered on an engine that keeps its executions in memory. */
export const startInProcessStepFunctions = (options: InProcessStepFunctionsOptions): InProcessStepFunctions => {
  const { stateMachine, invoker, retryDelayScale } = options;
  const engine = new LocalStepFunctions({ store: new MemoryExecutionStore(), invoker, ...(retryDelayScale !== undefined && { retryDelayScale }) });
  engine.registerStateMachine(stateMachine);
  return {
    startExecution: (request) => engine.startExecution(request),
    describeExecution: (request) => engine.describeExecution(request),
    waitForExecution: (executionArn) => engine.waitForExecution(executionArn),
    getExecutionHistory: (request) => engine.getExecutionHistory(request),
    redriveExecution: (request) => engine.redriveExecution(request),
    close: () => engine.close(),
    executionArnOf: (executionName) => executionArnFor(stateMachine.arn, executionName),
  };
};
