/**
 * Startup errors of the local runtime when it reads the synthesized template.
 * Each names the resource (logical id and type) so the message alone tells a
 * developer what to change: the template is the source of truth, and what the
 * runtime cannot serve must stop it, never be skipped silently.
 */

/** The template or the cloud assembly around it cannot be read or resolved. */
export class TemplateError extends Error {
  override readonly name: string = 'TemplateError';
}

/** A resource type the local runtime neither serves nor knows to be unneeded locally. */
export class UnsupportedResourceError extends TemplateError {
  override readonly name = 'UnsupportedResourceError';
  constructor(
    readonly logicalId: string,
    readonly resourceType: string,
    reason = 'the local runtime has no emulation for this resource type',
  ) {
    super(`Resource ${logicalId} (${resourceType}) cannot be served locally: ${reason}`);
  }
}

/** A property (or property value) that changes behaviour in a way the local runtime cannot reproduce. */
export class UnsupportedPropertyError extends TemplateError {
  override readonly name = 'UnsupportedPropertyError';
  constructor(
    readonly logicalId: string,
    readonly resourceType: string,
    readonly property: string,
    reason: string,
  ) {
    super(`Resource ${logicalId} (${resourceType}) property ${property} cannot be served locally: ${reason}`);
  }
}

/** An intrinsic function that cannot be evaluated (unknown function, missing reference, bad arguments). */
export class IntrinsicError extends TemplateError {
  override readonly name = 'IntrinsicError';
  constructor(
    readonly location: string,
    message: string,
  ) {
    super(`${location}: ${message}`);
  }
}
