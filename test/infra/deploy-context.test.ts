import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { z } from 'zod';
import { DEPLOY_CONTEXT_KEYS, DeployContextError, readDeploySettings } from '#infra/deploy-context';
import { synthesizeTemplate } from '#infra/synth';
import { onlyResource } from './template-queries.ts';

/**
 * The settings a deployer passes with `npx cdk deploy -c key=value`: read
 * strictly (a typo stops the synth with the key's name), and rendered into
 * the template only when given.
 */

const settingsWith = (context: Record<string, unknown>) => readDeploySettings(new App({ context }).node);

describe('reading the deploy context', () => {
  it('has no CORS origins and no alarm e-mail when nothing is given', () => {
    // Act
    const settings = settingsWith({});

    // Assess
    expect(settings).toEqual({ corsAllowedOrigins: [] });
  });

  it('splits the comma-separated origins of the command line and trims them', () => {
    // Act
    const settings = settingsWith({ [DEPLOY_CONTEXT_KEYS.corsAllowedOrigins]: 'https://tickets.example.com, http://localhost:5173,https://*.example.com' });

    // Assess
    expect(settings.corsAllowedOrigins).toEqual(['https://tickets.example.com', 'http://localhost:5173', 'https://*.example.com']);
  });

  it("takes cdk.json's list of origins as it is", () => {
    // Act
    const settings = settingsWith({ [DEPLOY_CONTEXT_KEYS.corsAllowedOrigins]: ['*'] });

    // Assess
    expect(settings.corsAllowedOrigins).toEqual(['*']);
  });

  it.each(['tickets.example.com', 'https://tickets.example.com/', 'https://tickets.example.com/buy', 'ftp://tickets.example.com'])(
    'refuses %s, which is not an origin, naming the key and the value',
    (origin) => {
      // Act
      const read = () => settingsWith({ [DEPLOY_CONTEXT_KEYS.corsAllowedOrigins]: `https://ok.example.com,${origin}` });

      // Assess
      expect(read).toThrow(DeployContextError);
      expect(read).toThrow(`CDK context corsAllowedOrigins: ${JSON.stringify(origin)} is not an origin`);
    },
  );

  it('reads the alarm e-mail', () => {
    // Act
    const settings = settingsWith({ [DEPLOY_CONTEXT_KEYS.alarmEmail]: 'ops@example.com' });

    // Assess
    expect(settings.alarmEmail).toBe('ops@example.com');
  });

  it('refuses an alarm e-mail that is not an address', () => {
    // Act
    const read = () => settingsWith({ [DEPLOY_CONTEXT_KEYS.alarmEmail]: 'ops-at-example.com' });

    // Assess
    expect(read).toThrow('CDK context alarmEmail: "ops-at-example.com" is not an e-mail address');
  });
});

describe('the template with the deploy context given', () => {
  let template: Template;

  beforeAll(() => {
    template = Template.fromJSON(
      synthesizeTemplate({
        bundle: false,
        validateTemplate: false,
        context: { [DEPLOY_CONTEXT_KEYS.corsAllowedOrigins]: 'https://tickets.example.com', [DEPLOY_CONTEXT_KEYS.alarmEmail]: 'ops@example.com' },
      }),
    );
  });

  it('answers CORS preflights from the allowed origins, with the headers a buyer page sends', () => {
    // Act
    const api = onlyResource(template, 'AWS::ApiGatewayV2::Api');
    const cors = z.object({ Properties: z.object({ CorsConfiguration: z.record(z.string(), z.unknown()) }) }).parse(api.resource).Properties.CorsConfiguration;

    // Assess
    expect(cors).toEqual({
      AllowOrigins: ['https://tickets.example.com'],
      AllowMethods: ['GET', 'POST'],
      AllowHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-admission-token'],
      MaxAge: 3600,
    });
  });

  it('subscribes the e-mail to the topic every alarm notifies', () => {
    // Prepare
    const topic = onlyResource(template, 'AWS::SNS::Topic');

    // Act
    const subscription = onlyResource(template, 'AWS::SNS::Subscription');

    // Assess
    expect(subscription.resource).toMatchObject({ Properties: { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topic.logicalId } } });
  });
});
