import { scheduledEvent, startScheduler, UnsupportedScheduledTargetError, type LocalScheduler, type ScheduledRule } from '#local/schedules/scheduler';

const RULE_ARN = 'arn:aws:events:us-east-1:000000000000:rule/Sweep';
const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:Sweeper';
const AT = new Date('2026-11-26T10:10:00.123Z');

const rule = (overrides: Partial<ScheduledRule> = {}): ScheduledRule => ({
  name: 'Sweep',
  arn: RULE_ARN,
  scheduleExpression: 'rate(1 minute)',
  enabled: true,
  targets: [{ id: 'Target0', arn: FUNCTION_ARN, kind: 'lambda' }],
  ...overrides,
});

let scheduler: LocalScheduler | undefined;
beforeEach(() => jest.useFakeTimers());
afterEach(async () => {
  await scheduler?.stop();
  scheduler = undefined;
  jest.useRealTimers();
});

const recordingInvoker = () => {
  const invocations: Array<{ arn: string; event: unknown }> = [];
  return { invocations, invoker: { invokeAsync: async (arn: string, event: unknown) => void invocations.push({ arn, event }) } };
};

test('sends the event AWS sends for a scheduled rule', () => {
  // Act
  const event = scheduledEvent({ arn: RULE_ARN }, AT);

  // Assess
  expect(event).toEqual({
    version: '0',
    id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: '2026-11-26T10:10:00Z',
    region: 'us-east-1',
    resources: [RULE_ARN],
    detail: {},
  });
});

test('invokes each target once per interval, asynchronously', () => {
  // Prepare
  const { invocations, invoker } = recordingInvoker();
  scheduler = startScheduler({ rules: [rule()], invoker, now: () => AT });

  // Act
  jest.advanceTimersByTime(59_999);
  const beforeInterval = invocations.length;
  jest.advanceTimersByTime(60_001);

  // Assess
  expect(beforeInterval).toBe(0);
  expect(invocations.map((invocation) => invocation.arn)).toEqual([FUNCTION_ARN, FUNCTION_ARN]);
  expect(invocations[0]?.event).toMatchObject({ 'detail-type': 'Scheduled Event', resources: [RULE_ARN] });
});

test('scales the interval for tests and demos', () => {
  // Prepare
  const { invocations, invoker } = recordingInvoker();
  scheduler = startScheduler({ rules: [rule()], invoker, intervalScale: 0.01 });

  // Act
  jest.advanceTimersByTime(600);

  // Assess
  expect(scheduler.schedules).toEqual([{ rule: 'Sweep', intervalMs: 600 }]);
  expect(invocations).toHaveLength(1);
});

test('sends a target its constant input instead of the event', () => {
  // Prepare
  const { invocations, invoker } = recordingInvoker();
  scheduler = startScheduler({ rules: [rule({ targets: [{ id: 't', arn: FUNCTION_ARN, kind: 'lambda', input: '{"mode":"full"}' }] })], invoker });

  // Act
  jest.advanceTimersByTime(60_000);

  // Assess
  expect(invocations[0]?.event).toEqual({ mode: 'full' });
});

test('runs nothing for a disabled rule, and nothing after stop', async () => {
  // Prepare
  const { invocations, invoker } = recordingInvoker();
  const disabled = startScheduler({ rules: [rule({ enabled: false })], invoker });
  scheduler = startScheduler({ rules: [rule()], invoker });
  await scheduler.stop();

  // Act
  jest.advanceTimersByTime(120_000);

  // Assess
  expect(invocations).toEqual([]);
  await disabled.stop();
});

test('leaves a rule without a schedule expression to the bus', () => {
  // Prepare
  const { invocations, invoker } = recordingInvoker();
  const { scheduleExpression: _none, ...patternRule } = rule({ name: 'OnEvents' });

  // Act
  scheduler = startScheduler({ rules: [patternRule], invoker });
  jest.advanceTimersByTime(120_000);

  // Assess
  expect(scheduler.schedules).toEqual([]);
  expect(invocations).toEqual([]);
});

test('refuses at startup a target that is not a function', () => {
  // Act
  const start = () => startScheduler({ rules: [rule({ targets: [{ id: 'q', arn: 'arn:aws:sqs:us-east-1:000000000000:q', kind: 'sqs' }] })], invoker: recordingInvoker().invoker });

  // Assess
  expect(start).toThrow(UnsupportedScheduledTargetError);
  expect(start).toThrow('Scheduled rule Sweep: target q');
});
