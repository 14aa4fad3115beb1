import { LOCAL_ACCOUNT, LOCAL_REGION } from '#local/ports';

/**
 * ARNs of state machines and executions. An execution ARN is its state
 * machine's ARN with `stateMachine` replaced by `execution` and the execution
 * name appended, as in AWS.
 */
const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):stateMachine:([A-Za-z0-9_-]{1,80})$/;
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):execution:([A-Za-z0-9_-]{1,80}):([^:]{1,80})$/;

export const localStateMachineArn = (name: string): string =>
  `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;

export const isStateMachineArn = (arn: string): boolean => STATE_MACHINE_ARN.test(arn);

export const stateMachineNameOf = (stateMachineArn: string): string | undefined => STATE_MACHINE_ARN.exec(stateMachineArn)?.[3];

export const regionOf = (stateMachineArn: string): string => STATE_MACHINE_ARN.exec(stateMachineArn)?.[1] ?? LOCAL_REGION;

export const executionArnFor = (stateMachineArn: string, executionName: string): string =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;

/** The state machine ARN an execution ARN belongs to, or undefined when it is not an execution ARN. */
export const stateMachineArnOfExecution = (executionArn: string): string | undefined => {
  if (!EXECUTION_ARN.test(executionArn)) return undefined;
  return executionArn.slice(0, executionArn.lastIndexOf(':')).replace(':execution:', ':stateMachine:');
};

export const isExecutionArn = (arn: string): boolean => EXECUTION_ARN.test(arn);

/**
 * Execution names as AWS accepts them: 1 to 80 characters, none of them
 * whitespace, brackets, wildcards, the listed punctuation or control characters.
 */
const FORBIDDEN_NAME_CHARACTERS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/u;
const isControlCharacter = (character: string): boolean => {
  const code = character.codePointAt(0) ?? 0;
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
};
export const isValidExecutionName = (name: string): boolean =>
  name.length >= 1 && name.length <= 80 && !FORBIDDEN_NAME_CHARACTERS.test(name) && ![...name].some(isControlCharacter);
