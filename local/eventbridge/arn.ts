import { LOCAL_ACCOUNT, LOCAL_REGION } from '#local/ports';

/** The bus every account has; PutEvents entries without EventBusName go here. */
export const DEFAULT_BUS_NAME = 'default';

const EVENTS_ARN_PREFIX = `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:`;

export const eventBusArn = (busName: string) => `${EVENTS_ARN_PREFIX}event-bus/${busName}`;

/** Rules on the default bus keep AWS's short form `rule/<name>`; others include the bus. */
export const ruleArn = (busName: string, ruleName: string) =>
  busName === DEFAULT_BUS_NAME ? `${EVENTS_ARN_PREFIX}rule/${ruleName}` : `${EVENTS_ARN_PREFIX}rule/${busName}/${ruleName}`;

export const archiveArn = (archiveName: string) => `${EVENTS_ARN_PREFIX}archive/${archiveName}`;

export const replayArn = (replayName: string) => `${EVENTS_ARN_PREFIX}replay/${replayName}`;

const BUS_ARN = /^arn:aws[a-z-]*:events:[^:]*:[^:]*:event-bus\/(.+)$/;
const ARCHIVE_ARN = /^arn:aws[a-z-]*:events:[^:]*:[^:]*:archive\/(.+)$/;

/** EventBusName parameters take a name or an ARN. */
export const busNameOf = (nameOrArn: string) => BUS_ARN.exec(nameOrArn)?.[1] ?? nameOrArn;

export const archiveNameOf = (arn: string) => ARCHIVE_ARN.exec(arn)?.[1];
