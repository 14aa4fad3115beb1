import { AwsJsonError } from '#local/aws-json-server';

/**
 * Errors the EventBridge API answers with. `type` is AWS's exception name: the
 * server sends it as `__type` so the SDK raises the same named exception.
 */
export class EventBridgeApiError extends AwsJsonError {
  override readonly name = 'EventBridgeApiError';
}

export const resourceNotFound = (message: string) => new EventBridgeApiError('ResourceNotFoundException', message);
export const resourceAlreadyExists = (message: string) => new EventBridgeApiError('ResourceAlreadyExistsException', message);
export const validationError = (message: string) => new EventBridgeApiError('ValidationException', message);
export const invalidEventPattern = (message: string) => new EventBridgeApiError('InvalidEventPatternException', message);
export const illegalStatus = (message: string) => new EventBridgeApiError('IllegalStatusException', message);

/** A template the local EventBridge cannot serve: the runtime reports it at startup. */
export class EventBridgeConfigError extends Error {
  override readonly name = 'EventBridgeConfigError';
}
