import { defaultProvider } from '#commons/lambda-credentials';

const LAMBDA_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_SESSION_TOKEN: 'session',
};

describe('defaultProvider (the bundles\' credential chain)', () => {
  const saved = { ...process.env };

  afterEach(() => {
    process.env = { ...saved };
  });

  it('answers with the role credentials Lambda puts in the environment', async () => {
    // Prepare
    Object.assign(process.env, LAMBDA_CREDENTIALS);

    // Act
    const credentials = await defaultProvider()();

    // Assess
    expect(credentials).toMatchObject({ accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session' });
  });

  it('fails, naming the missing variables, when the environment holds none', async () => {
    // Prepare
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;

    // Act
    const reading = defaultProvider()();

    // Assess
    await expect(reading).rejects.toThrow(/AWS_ACCESS_KEY_ID|environment/i);
  });

  it('reads the environment once and answers every later request from memory, as the default chain does', async () => {
    // Prepare
    Object.assign(process.env, LAMBDA_CREDENTIALS);
    const provider = defaultProvider();
    const first = await provider();
    delete process.env.AWS_ACCESS_KEY_ID;

    // Act
    const later = await provider();

    // Assess
    expect(later).toBe(first);
  });

  it('reads the environment again after a failed read', async () => {
    // Prepare
    delete process.env.AWS_ACCESS_KEY_ID;
    const provider = defaultProvider();
    await expect(provider()).rejects.toThrow(/environment/i);
    Object.assign(process.env, LAMBDA_CREDENTIALS);

    // Act
    const credentials = await provider();

    // Assess
    expect(credentials.accessKeyId).toBe('ASIAEXAMPLE');
  });
});
