import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type * as XRay from 'aws-xray-sdk-core';
import * as standIn from '#commons/cls-on-async-local-storage';

/**
 * The stand-in must keep the X-Ray SDK's segments where cls-hooked keeps them.
 * Each case runs the real SDK twice, in a Lambda environment (the facade
 * segment): once on cls-hooked, once on the stand-in, and both must agree.
 */

type Sdk = typeof XRay;
type Segmentish = ReturnType<Sdk['getSegment']>;

const LAMBDA_ENVIRONMENT = {
  LAMBDA_TASK_ROOT: '/var/task',
  _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
  AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:9',
  AWS_XRAY_DEBUG_MODE: '',
};

const loadSdk = async (context: 'cls-hooked' | 'stand-in'): Promise<Sdk> => {
  let sdk: Sdk | undefined;
  await jest.isolateModulesAsync(async () => {
    if (context === 'stand-in') jest.doMock('cls-hooked/context', () => standIn);
    sdk = (await import('aws-xray-sdk-core')).default;
  });
  if (sdk === undefined) throw new Error('the X-Ray SDK did not load');
  sdk.setLogger({ debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined });
  return sdk;
};

const nameOf = (segment: Segmentish): string | undefined => segment?.name;

/** What a traced invocation sees: the names of the active segment at each step, as the step handler and the SDK clients use it. */
const traceAnInvocation = async (sdk: Sdk): Promise<string[]> => {
  const seen: (string | undefined)[] = [nameOf(sdk.getSegment())];
  const facade = sdk.getSegment();
  // The step handler: a subsegment for the handler, set as the active one, restored at the end.
  const handlerSegment = facade?.addNewSubsegment('## handler');
  if (handlerSegment) sdk.setSegment(handlerSegment);
  await nextTurn();
  seen.push(nameOf(sdk.getSegment()));
  // Two calls in parallel, each in its own subsegment across several turns (an SDK call is many).
  const call = (name: string) =>
    sdk.captureAsyncFunc(name, async (subsegment) => {
      await nextTurn();
      const during = nameOf(sdk.getSegment());
      await Promise.resolve();
      const nested = await sdk.captureAsyncFunc(`${name}.retry`, async (inner) => {
        await nextTurn();
        const innermost = nameOf(sdk.getSegment());
        inner?.close();
        return innermost;
      });
      const after = nameOf(sdk.getSegment());
      subsegment?.close();
      return [during, nested, after];
    }) as Promise<(string | undefined)[]>;
  const [first, second] = await Promise.all([call('DynamoDB'), call('EventBridge')]);
  seen.push(...(first ?? []), ...(second ?? []));
  seen.push(nameOf(sdk.getSegment()));
  if (facade) sdk.setSegment(facade);
  handlerSegment?.close();
  await nextTurn();
  seen.push(nameOf(sdk.getSegment()));
  return seen.map((name) => name ?? '(none)');
};

/** Every member of cls-hooked the X-Ray SDK's files call on the module or on its namespace. */
const clsCallsOfXraySdk = (): string[] => {
  const root = dirname(require.resolve('aws-xray-sdk-core/package.json'));
  const files = readdirSync(join(root, 'dist', 'lib'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
  return files.flatMap((file) => {
    const source = readFileSync(join(root, 'dist', 'lib', file), 'utf8');
    const onModule = [...source.matchAll(/\bcls\.(\w+)/g)];
    const onNamespace = [...source.matchAll(/\b(?:namespace|session|ns)\.(\w+)\(/g)];
    return [...onModule, ...onNamespace].map((match) => match[1] as string);
  });
};

describe('cls-on-async-local-storage (what the bundles load for cls-hooked)', () => {
  const saved = { ...process.env };

  beforeEach(() => {
    Object.assign(process.env, LAMBDA_ENVIRONMENT);
  });

  afterEach(() => {
    process.env = { ...saved };
  });

  it('keeps every segment the X-Ray SDK sets where cls-hooked keeps it, across awaits and parallel calls', async () => {
    // Arrange
    const onClsHooked = await loadSdk('cls-hooked');
    const onStandIn = await loadSdk('stand-in');

    // Act
    const expected = await traceAnInvocation(onClsHooked);
    const actual = await traceAnInvocation(onStandIn);

    // Assess
    expect(expected).toEqual([
      'facade',
      '## handler',
      ...['DynamoDB', 'DynamoDB.retry', 'DynamoDB'],
      ...['EventBridge', 'EventBridge.retry', 'EventBridge'],
      '## handler',
      'facade',
    ]);
    expect(actual).toEqual(expected);
  });

  it('lets a nested context read what its parents hold, and keeps the caller’s context after a run', () => {
    // Arrange
    const namespace = standIn.createNamespace('nesting');
    namespace.enter(namespace.createContext());
    namespace.set('segment', 'outer');

    // Act
    let seenInside: unknown;
    let seenAfterSet: unknown;
    namespace.run(() => {
      seenInside = namespace.get('segment');
      namespace.set('segment', 'inner');
      seenAfterSet = namespace.get('segment');
    });

    // Assess
    expect([seenInside, seenAfterSet, namespace.get('segment')]).toEqual(['outer', 'inner', 'outer']);
    standIn.destroyNamespace('nesting');
    expect(standIn.getNamespace('nesting')).toBeUndefined();
  });

  it('runs a bound function in the context it was bound in, wherever it is called', async () => {
    // Arrange
    const namespace = standIn.createNamespace('binding');
    let bound: () => unknown = () => undefined;
    namespace.run(() => {
      namespace.set('segment', 'where it was bound');
      bound = namespace.bind(() => namespace.get('segment'));
    });

    // Act
    const seen = await new Promise((resolve) => {
      namespace.run(() => {
        namespace.set('segment', 'where it is called');
        setImmediate(() => resolve(bound()));
      });
    });

    // Assess
    expect(seen).toBe('where it was bound');
    standIn.destroyNamespace('binding');
  });

  it('refuses to set a value with no context, as cls-hooked does', () => {
    // Arrange
    const namespace = standIn.createNamespace('empty');

    // Act
    const setting = () => namespace.set('segment', 'lost');

    // Assess
    expect(setting).toThrow(/No context available/);
    standIn.destroyNamespace('empty');
  });

  it('stands in for every member of cls-hooked the X-Ray SDK calls', () => {
    // Act
    const calls = new Set(clsCallsOfXraySdk());

    // Assess: an X-Ray SDK that calls more of cls-hooked must not get this module
    const namespace = standIn.createNamespace('members');
    const provided = new Set([...Object.keys(standIn), ...Object.getOwnPropertyNames(Object.getPrototypeOf(namespace))]);
    standIn.destroyNamespace('members');
    expect([...calls].filter((member) => !provided.has(member))).toEqual([]);
    expect(calls.size).toBeGreaterThanOrEqual(5);
  });
});
