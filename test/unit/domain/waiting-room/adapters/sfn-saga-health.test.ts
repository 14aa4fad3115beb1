import { ListExecutionsCommand, SFNClient, type ExecutionListItem, type ExecutionStatus } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { createStoppedExecutionsHealthCheck, NEEDS_A_PERSON_STATUSES, NEEDS_A_PERSON_WINDOW_SECONDS } from '#domain/waiting-room/adapters/sfn-saga-health';

const sfn = mockClient(SFNClient);
const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:PurchaseSaga';
const NOW = new Date('2027-06-28T18:00:00Z');

const check = () => createStoppedExecutionsHealthCheck({ client: new SFNClient({ region: 'us-east-1' }), stateMachineArn: STATE_MACHINE_ARN, now: () => NOW });
const stopped = (name: string, status: ExecutionStatus, secondsAgo: number): ExecutionListItem => ({
  executionArn: `arn:aws:states:us-east-1:123456789012:execution:PurchaseSaga:${name}`,
  stateMachineArn: STATE_MACHINE_ARN,
  name,
  status,
  startDate: new Date(NOW.getTime() - (secondsAgo + 30) * 1_000),
  stopDate: new Date(NOW.getTime() - secondsAgo * 1_000),
});

beforeEach(() => {
  sfn.reset();
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
});

describe('the purchase saga health read from its stopped executions', () => {
  it('asks for the newest execution of each status that needs a person, on the purchase state machine only', async () => {
    // Act
    await check()();

    // Assess
    const inputs = sfn.commandCalls(ListExecutionsCommand).map((call) => call.args[0].input);
    expect(inputs).toEqual(NEEDS_A_PERSON_STATUSES.map((statusFilter) => ({ stateMachineArn: STATE_MACHINE_ARN, statusFilter, maxResults: 1 })));
  });

  it('is healthy when no execution ever stopped that way', async () => {
    // Act
    const health = await check()();

    // Assess
    expect(health).toEqual({ healthy: true });
  });

  it.each(NEEDS_A_PERSON_STATUSES)('is unhealthy while an execution %s inside the window, naming the purchase and its status', async (status) => {
    // Arrange
    sfn.on(ListExecutionsCommand, { statusFilter: status }).resolves({ executions: [stopped('p-42', status, 60)] });

    // Act
    const health = await check()();

    // Assess
    expect(health).toEqual({ healthy: false, reason: `a purchase saga execution needs a person: purchase p-42 ${status} at 2027-06-28T17:59:00.000Z` });
  });

  it('counts an execution that stopped exactly at the edge of the window', async () => {
    // Arrange
    sfn.on(ListExecutionsCommand, { statusFilter: 'FAILED' }).resolves({ executions: [stopped('p-edge', 'FAILED', NEEDS_A_PERSON_WINDOW_SECONDS)] });

    // Act
    const health = await check()();

    // Assess
    expect(health.healthy).toBe(false);
  });

  it('is healthy again once the newest such execution stopped before the window', async () => {
    // Arrange
    for (const status of NEEDS_A_PERSON_STATUSES) {
      sfn.on(ListExecutionsCommand, { statusFilter: status }).resolves({ executions: [stopped(`p-${status}`, status, NEEDS_A_PERSON_WINDOW_SECONDS + 1)] });
    }

    // Act
    const health = await check()();

    // Assess
    expect(health).toEqual({ healthy: true });
  });

  it('names every status with a recent execution', async () => {
    // Arrange
    sfn.on(ListExecutionsCommand, { statusFilter: 'FAILED' }).resolves({ executions: [stopped('p-1', 'FAILED', 10)] });
    sfn.on(ListExecutionsCommand, { statusFilter: 'ABORTED' }).resolves({ executions: [stopped('p-2', 'ABORTED', 20)] });

    // Act
    const health = await check()();

    // Assess
    expect(health).toEqual({ healthy: false, reason: expect.stringMatching(/purchase p-1 FAILED at .*, purchase p-2 ABORTED at /) });
  });

  it('fails when Step Functions cannot be read, rather than call the saga healthy', async () => {
    // Arrange
    sfn.on(ListExecutionsCommand, { statusFilter: 'TIMED_OUT' }).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    // Act
    const health = check()();

    // Assess
    await expect(health).rejects.toThrow('Rate exceeded');
  });
});
