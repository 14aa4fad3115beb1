import type { Node } from 'constructs';
import { z } from 'zod';

/**
 * The settings a deployer chooses per deployment, passed as CDK context:
 * `npx cdk deploy -c alarmEmail=ops@example.com -c corsAllowedOrigins=https://tickets.example.com`
 * or in cdk.json's "context". Read once, checked with a clear message, so a
 * typo stops the synth instead of deploying something else.
 */
export const DEPLOY_CONTEXT_KEYS = {
  /** Origins a browser front end calls the buyer API from; comma-separated on the command line. */
  corsAllowedOrigins: 'corsAllowedOrigins',
  /** An e-mail address subscribed to the alarm topic (AWS asks it to confirm once). */
  alarmEmail: 'alarmEmail',
} as const;

export interface DeploySettings {
  /** Empty: the API sends no CORS headers, and browsers on other origins cannot call it. */
  readonly corsAllowedOrigins: readonly string[];
  readonly alarmEmail?: string;
}

export class DeployContextError extends Error {
  constructor(key: string, problem: string) {
    super(`CDK context ${key}: ${problem}`);
    this.name = 'DeployContextError';
  }
}

/** `https://tickets.example.com`, `http://localhost:5173`, `https://*.example.com`, or `*`. */
const ORIGIN = /^(\*|https?:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?)$/i;

const originsSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (typeof value === 'string' ? value.split(',') : value).map((origin) => origin.trim()).filter((origin) => origin !== ''));

const emailSchema = z.email();

const parseOrigins = (value: unknown): readonly string[] => {
  const parsed = originsSchema.safeParse(value);
  if (!parsed.success) throw new DeployContextError(DEPLOY_CONTEXT_KEYS.corsAllowedOrigins, 'expected a comma-separated list of origins');
  const invalid = parsed.data.filter((origin) => !ORIGIN.test(origin));
  if (invalid.length > 0) {
    throw new DeployContextError(
      DEPLOY_CONTEXT_KEYS.corsAllowedOrigins,
      `${invalid.map((origin) => JSON.stringify(origin)).join(', ')} is not an origin (scheme://host[:port] without a path, e.g. https://tickets.example.com, https://*.example.com, or * for any)`,
    );
  }
  return parsed.data;
};

const parseEmail = (value: unknown): string => {
  const parsed = emailSchema.safeParse(value);
  if (!parsed.success) throw new DeployContextError(DEPLOY_CONTEXT_KEYS.alarmEmail, `${JSON.stringify(value)} is not an e-mail address`);
  return parsed.data;
};

export const readDeploySettings = (node: Node): DeploySettings => {
  const origins: unknown = node.tryGetContext(DEPLOY_CONTEXT_KEYS.corsAllowedOrigins);
  const email: unknown = node.tryGetContext(DEPLOY_CONTEXT_KEYS.alarmEmail);
  return {
    corsAllowedOrigins: origins === undefined ? [] : parseOrigins(origins),
    ...(email !== undefined && { alarmEmail: parseEmail(email) }),
  };
};
