import { join } from 'node:path';
import { STACK_NAME } from '#infra/outputs';
import { synthesizeTemplate } from '#infra/synth';
import { readInProcessTemplate, type InProcessTemplate } from '#local/index';

/**
 * The purchase saga as the stack deploys it: the app synthesized in process
 * (cdk-nag included, bundling skipped), read through the local template
 * model, so the definition is the synthesized DefinitionString with its
 * DefinitionSubstitutions applied and each function ARN is the local one.
 */
export type SynthesizedSaga = InProcessTemplate;

/** Bundles are not built here; the model only checks that a handler module exists in each function's code folder. */
const STAND_IN_BUNDLE = join(__dirname, 'stand-in-bundle');

const ENDPOINTS = {
  sqs: 'http://127.0.0.1:9324',
  jwtIssuer: 'http://127.0.0.1:9400/local-issuer',
  httpApi: 'http://127.0.0.1:3000',
};

export const synthesizeSaga = (): SynthesizedSaga => {
  const template = synthesizeTemplate({ bundle: false, validateTemplate: false });
  return readInProcessTemplate({ template, stackName: STACK_NAME, endpoints: ENDPOINTS, locateAsset: () => STAND_IN_BUNDLE });
};
