import { join } from 'node:path';
import { FaultDraws } from '#local/faults/fault-draws';
import { LATE_ANSWER_MARGIN_MS, lambdaFaults, MAX_LATE_ANSWER_WAIT_MS } from '#local/faults/lambda-faults';
import type { FaultKind } from '#local/faults/chaos-settings';
import { UnknownFaultTargetError } from '#local/lambda/fault-plan';
import type { InvocationFault } from '#local/lambda/invocation-faults';
import { lambdaFunctionArn } from '#local/arns';
import type { LocalFunction } from '#local/template/local-app';

const fn = (logicalId: string, name: string): LocalFunction => ({
  logicalId,
  name,
  arn: lambdaFunctionArn(name),
  handler: 'index.handler',
  codeDir: join(__dirname, 'unused'),
  runtime: 'nodejs24.x',
  environment: {},
  timeoutSeconds: 10,
  memoryMb: 256,
});

const RESERVE = fn('ReserveSeatsFunction', 'Ticketing-ReserveSeats');
const CHARGE = fn('ChargePaymentFunction', 'Ticketing-ChargePayment');

const sourceFor = (kind: FaultKind, only?: string[]) => lambdaFaults({ draws: new FaultDraws({ seed: 3, rates: { [kind]: 1 } }), functions: [RESERVE, CHARGE], only });

const errorTypeOf = (fault: InvocationFault | undefined) => (fault && 'error' in fault ? `${fault.kind} ${fault.error.errorType}` : fault?.kind);

describe('the Lambda faults of the chaos settings', () => {
  it.each<[FaultKind, string]>([
    ['lambda.errorBeforeHandler', 'failBeforeHandler Lambda.ServiceException'],
    ['lambda.runtimeExitError', 'failBeforeHandler Runtime.ExitError'],
    ['lambda.throttled', 'failBeforeHandler Lambda.TooManyRequestsException'],
    ['lambda.answerLost', 'failAfterHandler Lambda.ServiceException'],
    ['lambda.concurrentDuplicate', 'runTwice'],
  ])('%s fails the invocation as %s', (kind, expected) => {
    // Prepare
    const source = sourceFor(kind);

    // Act
    const fault = source(RESERVE, {});

    // Assess
    expect(errorTypeOf(fault)).toBe(expected);
  });

  it('reports Sandbox.Timedout before the handler at some invocations and after it at others', () => {
    // Prepare
    const source = sourceFor('lambda.sandboxTimedout');

    // Act
    const faults = Array.from({ length: 16 }, () => errorTypeOf(source(RESERVE, {})));

    // Assess
    expect(new Set(faults)).toEqual(new Set(['failBeforeHandler Sandbox.Timedout', 'failAfterHandler Sandbox.Timedout']));
  });

  it("answers just after the caller's deadline for a call slower than the task timeout", () => {
    // Prepare
    const source = sourceFor('lambda.slowerThanTaskTimeout');
    const callerDeadline = Date.now() + 2000;

    // Act
    const fault = source(RESERVE, { callerDeadline });

    // Assess
    expect(fault).toMatchObject({ kind: 'answerLate', answerAt: callerDeadline + LATE_ANSWER_MARGIN_MS });
  });

  it('answers in time a caller that sets no deadline, or one too far away to wait for', () => {
    // Prepare
    const source = sourceFor('lambda.slowerThanTaskTimeout');

    // Act
    const faults = [source(RESERVE, {}), source(RESERVE, { callerDeadline: Date.now() + MAX_LATE_ANSWER_WAIT_MS + 60_000 })];

    // Assess
    expect(faults).toEqual([undefined, undefined]);
  });

  it('injects faults only into the functions named, by logical id or name', () => {
    // Prepare
    const source = sourceFor('lambda.throttled', ['ReserveSeatsFunction']);

    // Act
    const faults = [source(RESERVE, {})?.kind, source(CHARGE, {})?.kind];

    // Assess
    expect(faults).toEqual(['failBeforeHandler', undefined]);
  });

  it('refuses settings that name a function the app does not have', () => {
    // Prepare, Act
    const create = () => sourceFor('lambda.throttled', ['NoSuchFunction']);

    // Assess
    expect(create).toThrow(UnknownFaultTargetError);
  });
});
