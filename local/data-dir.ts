import { join, resolve } from 'node:path';

/**
 * Where the local runtime keeps its state between runs. One module decides
 * the layout so that `npm start`, the tools (`npm run token`, ...) and the
 * tests agree on it without passing paths around.
 */

/** The repository root: this file lives in `<root>/local/`. */
const REPOSITORY_ROOT = resolve(__dirname, '..');

/** `npm start` keeps its state here unless told otherwise (git-ignored). */
export const DEFAULT_DATA_DIR = join(REPOSITORY_ROOT, '.local');

/** One folder per component, so `--fresh` can remove the root and each component owns its folder. */
export interface DataDirLayout {
  readonly root: string;
  /** DynamoDB Local's database files. */
  readonly dynamodb: string;
  /** The journal of SQS messages sent and not yet deleted. */
  readonly sqs: string;
  /** State machine executions and their histories. */
  readonly stepFunctions: string;
  /** The bus archive and replays. */
  readonly eventBridge: string;
  /** The local JWT issuer's signing key and settings. */
  readonly auth: string;
  /** The counts of faults the chaos settings injected (local/faults/injected-faults-file.ts). */
  readonly chaos: string;
}

export const dataDirLayout = (root: string = DEFAULT_DATA_DIR): DataDirLayout => {
  const absoluteRoot = resolve(root);
  return {
    root: absoluteRoot,
    dynamodb: join(absoluteRoot, 'dynamodb'),
    sqs: join(absoluteRoot, 'sqs'),
    stepFunctions: join(absoluteRoot, 'stepfunctions'),
    eventBridge: join(absoluteRoot, 'eventbridge'),
    auth: join(absoluteRoot, 'auth'),
    chaos: join(absoluteRoot, 'chaos'),
  };
};
