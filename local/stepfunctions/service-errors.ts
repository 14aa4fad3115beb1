import { AwsJsonError } from '#local/aws-json-server';

/**
 * Errors of the Step Functions API. `code` is the exception name AWS returns
 * in `__type`, from which the SDK builds its named exception classes
 * (ExecutionDoesNotExist, ExecutionAlreadyExists, InvalidArn...).
 */
type ServiceErrorCode =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'ExecutionNotRedrivable'
  | 'InvalidArn'
  | 'InvalidExecutionInput'
  | 'InvalidName'
  | 'InvalidToken'
  | 'StateMachineDoesNotExist'
  | 'TaskDoesNotExist'
  | 'ValidationException'
  | 'SerializationException'
  | 'UnknownOperationException';

export class ServiceError extends AwsJsonError {
  override readonly name = 'ServiceError';
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}
