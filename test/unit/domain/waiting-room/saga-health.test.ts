import { combineSagaHealthChecks } from '#domain/waiting-room/saga-health';
import type { SagaHealthCheck } from '#domain/waiting-room/ports';

const healthy: SagaHealthCheck = async () => ({ healthy: true });
const unhealthy =
  (reason: string): SagaHealthCheck =>
  async () => ({ healthy: false, reason });

describe('the saga health of several checks', () => {
  it('is healthy when every check is', async () => {
    // Act
    const health = await combineSagaHealthChecks(healthy, healthy)();

    // Assess
    expect(health).toEqual({ healthy: true });
  });

  it('gives every unhealthy reason, in the order of the checks', async () => {
    // Act
    const health = await combineSagaHealthChecks(unhealthy('the dead-letter queue holds 1 message(s)'), healthy, unhealthy('purchase p-1 FAILED'))();

    // Assess
    expect(health).toEqual({ healthy: false, reason: 'the dead-letter queue holds 1 message(s); purchase p-1 FAILED' });
  });

  it('fails when any check fails, even if another already says unhealthy', async () => {
    // Act
    const health = combineSagaHealthChecks(unhealthy('the dead-letter queue holds 1 message(s)'), () => Promise.reject(new Error('AccessDeniedException')))();

    // Assess
    await expect(health).rejects.toThrow('AccessDeniedException');
  });
});
