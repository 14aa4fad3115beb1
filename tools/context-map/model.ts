import { z } from 'zod';

/**
 * The bounded-context map as data: what tools/context-map.ts derives from the
 * code and the synthesized template, what docs/context-map.md renders, and
 * what the web console draws (it reads the copy embedded in that page).
 */

export const BOUNDED_CONTEXTS = ['Orders', 'Inventory', 'Billing', 'Invoicing', 'WaitingRoom'] as const;
const boundedContextSchema = z.enum(BOUNDED_CONTEXTS);
export type BoundedContext = z.infer<typeof boundedContextSchema>;

/** forward: the saga's steps; compensation: what undoes them; on failure: what ends a failed purchase. */
const STEP_ROLES = ['forward', 'compensation', 'on failure'] as const;

/** What makes a handler run, read from the template. */
const triggerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('http'), route: z.string() }),
  z.object({ kind: z.literal('queue'), queue: z.string() }),
  z.object({ kind: z.literal('state'), state: z.string(), role: z.enum(STEP_ROLES) }),
  z.object({ kind: z.literal('rule'), rule: z.string() }),
  z.object({ kind: z.literal('schedule'), schedule: z.string() }),
]);
export type Trigger = z.infer<typeof triggerSchema>;

const handlerSchema = z.object({
  /** The file name under handlers/ without extension. */
  name: z.string(),
  context: boundedContextSchema,
  /** The domain/<folder>/ modules it imports directly. */
  domainFolders: z.array(z.string()),
  /** Detail-types it publishes (definitions passed to domainEvent, in its own code or the domain code it imports). */
  publishes: z.array(z.string()),
  /** Detail-types the bus delivers to it (the rules that target it). */
  consumes: z.array(z.string()),
  triggers: z.array(triggerSchema),
});
export type HandlerEntry = z.infer<typeof handlerSchema>;

const eventEntrySchema = z.object({
  detailType: z.string(),
  source: z.string(),
  /** The context that owns the event: the one its source names. */
  context: boundedContextSchema,
  description: z.string(),
  publishers: z.array(z.string()),
  consumers: z.array(z.string()),
});

const ruleEntrySchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  sources: z.array(z.string()),
  detailTypes: z.array(z.string()),
  targets: z.array(z.string()),
});
export type RuleEntry = z.infer<typeof ruleEntrySchema>;

const stepEntrySchema = z.object({
  state: z.string(),
  role: z.enum(STEP_ROLES),
  /** The definition substitution the state's FunctionName names, e.g. ReserveSeatsFunctionArn. */
  substitution: z.string(),
  handler: z.string(),
});
export type StepEntry = z.infer<typeof stepEntrySchema>;

export const contextMapSchema = z.object({
  contexts: z.array(z.object({ name: boundedContextSchema, eventSource: z.string(), domainFolders: z.array(z.string()) })),
  handlers: z.array(handlerSchema),
  events: z.array(eventEntrySchema),
  rules: z.array(ruleEntrySchema),
  steps: z.array(stepEntrySchema),
});
export type ContextMap = z.infer<typeof contextMapSchema>;
