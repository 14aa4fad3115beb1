import type { SagaHealthCheck } from './ports.ts';

/**
 * Healthy when every check is; otherwise every unhealthy check's reason,
 * so support reads all of them at once. A check that fails rejects the
 * whole: the admitter fails its run (and raises its alarm) rather than
 * admit buyers on a health it could not read.
 */
export const combineSagaHealthChecks =
  (...checks: readonly SagaHealthCheck[]): SagaHealthCheck =>
  async () => {
    const reasons = (await Promise.all(checks.map((check) => check()))).flatMap((health) => (health.healthy ? [] : [health.reason]));
    return reasons.length === 0 ? { healthy: true } : { healthy: false, reason: reasons.join('; ') };
  };
