/**
 * The local runtime's one entry point: everything a user of the runtime (the
 * support tools, `npm start`, the end-to-end and workflow tests) imports from
 * local/ comes through here, so the rest of local/ can change freely. Only
 * local/'s own tests (test/unit/local, test/e2e/local) reach further in.
 * eslint.config.mjs enforces it.
 */

/** Starting the whole system on localhost: what `npm start`, the chaos and onsale tools and the e2e tests run. */
export { DEFAULT_FUNCTION_CONCURRENCY, startLocalRuntime } from '#local/runtime';
export type { LocalRuntime, LocalRuntimeOptions, LocalRuntimePorts, LocalRuntimeSeedContext } from '#local/runtime';

/** The contract of `<data dir>/runtime.json`, by which the tools find a running runtime (and the stack outputs a deployed stack has too). */
export { localRuntimeFileSchema, stackOutputsSchema } from '#local/runtime-file';
export type { LocalEndpoints, LocalRuntimeFile, StackOutputs } from '#local/runtime-file';

/** Faults a caller asks for at the Lambda boundary (`faults` option); the error says a plan names a function the template lacks. */
export { UnknownFaultTargetError } from '#local/lambda/fault-plan';
export type { FaultPlan } from '#local/lambda/fault-plan';

/** Seeded chaos (`chaos` option): the settings `npm start -- --chaos` and `npm run chaos` read, and the file the injected faults are counted in. */
export { chaosSettingsSchema, FAULT_KINDS } from '#local/faults/chaos-settings';
export type { ChaosSettings, FaultKind } from '#local/faults/chaos-settings';
export { INJECTED_FAULTS_FILE } from '#local/faults/injected-faults-file';

/** The seeded generator the chaos settings draw from, so tools that generate load replay the same run from the same seed. */
export { mulberry32, streamSeed } from '#local/faults/seeded-random';

/** Where a runtime keeps its state, for tools that read it without a running runtime (`npm run token`, `npm run chaos`). */
export { dataDirLayout, DEFAULT_DATA_DIR } from '#local/data-dir';

/** Buyer tokens the local issuer accepts, minted from the signing key in the data folder (`npm run token`, load tools). */
export { DEFAULT_DEVELOPMENT_TOKEN_HOURS, MAX_DEVELOPMENT_TOKEN_HOURS, mintDevelopmentToken } from '#local/auth/development-token';
export { LocalIssuerNotInitializedError } from '#local/auth/signing-key';
/** A token from whichever runtime is running, in-memory ones included (`npm run token`). */
export { mintLocalToken, NoRunningRuntimeError } from '#local/auth/running-runtime-token';
export type {  LocalTokenSources } from '#local/auth/running-runtime-token';
/** Whether the process a runtime file or registration names still runs. */
export { isProcessAlive } from '#local/process-alive';

/** Free ports for a runtime or a tool's server started beside another one. */
export { findFreePort, findFreeRuntimePorts } from '#local/free-port';

/** The account and region the local resources' ARNs carry. */
export { LOCAL_REGION } from '#local/ports';

/** Function logs kept in memory (`functionLogs` option), for a caller that reads what the handlers logged. */
export { memoryLogSink } from '#local/lambda/function-logs';

/** DynamoDB Local alone, for tests that need tables but not the rest of the runtime. */
export { startDynamoDbLocal } from '#local/dynamodb/dynamodb-local';
export type { DynamoDbLocal } from '#local/dynamodb/dynamodb-local';

/** Serving on loopback as the runtime's services do, with the same port-in-use message (the web console). */
export { closeServer, listenOnLoopback, LOOPBACK_HOST } from '#local/api/listen';
export type { Service } from '#local/ports';

/** EventBridge's event pattern matching, for the context map's question of which rule a published event reaches. */
export { compileEventPattern } from '#local/eventbridge/pattern/event-pattern';

/**
 * The engine without servers (local/in-process.ts), for the saga's workflow
 * tests: the synthesized state machine run in the test's process against the
 * test's own invoker, with the fault plan applied as the runtime applies it.
 */
export { readInProcessTemplate, startInProcessStepFunctions } from '#local/in-process';
export type { InProcessStepFunctions, InProcessTemplate } from '#local/in-process';
export { FaultInjector } from '#local/lambda/fault-plan';
export { FunctionError } from '#local/ports';
export type { FunctionInvoker } from '#local/ports';
export type { LocalFunction,  } from '#local/template/local-app';
export type { ExecutionRecord } from '#local/stepfunctions/execution-record';
export type { HistoryEvent } from '#local/stepfunctions/history-events';
