/** The X-Ray SDK ships no types for its Lambda environment module, which handlers/commons/lambda-xray-sdk.ts loads. */
declare module 'aws-xray-sdk-core/dist/lib/env/aws_lambda' {
  /** Makes the facade segment of the Lambda invocation the context's segment. */
  export function init(): void;
}
