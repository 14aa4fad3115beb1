import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { TicketingTables } from './data.ts';
import { TicketingFunction } from './functions.ts';
import { grantPublishing } from './publishing.ts';
import { grantTableAccess } from './table-access.ts';

/** The routes of the buyer API; every one requires a buyer's JWT. */
export const API_ROUTES = {
  createPurchase: { method: apigwv2.HttpMethod.POST, path: '/purchases' },
  getPurchase: { method: apigwv2.HttpMethod.GET, path: '/purchases/{purchaseId}' },
  getConcertSeats: { method: apigwv2.HttpMethod.GET, path: '/concerts/{concertId}/seats' },
  joinQueue: { method: apigwv2.HttpMethod.POST, path: '/concerts/{concertId}/queue' },
  getQueueTicket: { method: apigwv2.HttpMethod.GET, path: '/concerts/{concertId}/queue/{ticketId}' },
} as const;

export type ApiRoute = (typeof API_ROUTES)[keyof typeof API_ROUTES];

/** One JSON line per request; the fields a person needs to follow a failing call. */
const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  buyerId: '$context.authorizer.claims.sub',
};

export interface TicketingApiProps {
  readonly tables: TicketingTables;
  /** Where POST /purchases enqueues accepted purchases. */
  readonly purchaseQueue: sqs.IQueue;
  /** Where POST /purchases publishes PurchaseRequested. */
  readonly eventBus: events.IEventBus;
  /**
   * Stage-wide request rate limits. The queue absorbs the on-sale spike
   * behind the API; these only protect the API functions' concurrency.
   * @default { rateLimit: 1000, burstLimit: 2000 }
   */
  readonly throttle?: apigwv2.ThrottleSettings;
  /**
   * Retention of the access log.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly accessLogRetention?: logs.RetentionDays;
  /**
   * Origins a browser front end may call the API from; API Gateway then
   * answers CORS preflights itself.
   * @default - no CORS: only same-origin pages and non-browser clients
   */
  readonly corsAllowedOrigins?: readonly string[];
}

/** What a buyer page sends: the JWT, a JSON body, and the key that makes a retried POST safe. */
const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'x-admission-token'];

/**
 * The buyer-facing HTTP API: buyers sign in with the Cognito user pool, and
 * every route checks their JWT (the buyer id is the token's `sub`). Access
 * logged and throttled on its default stage.
 */
export class TicketingApi extends Construct {
  public readonly userPool: cognito.UserPool;
  public readonly userPoolClient: cognito.UserPoolClient;
  public readonly httpApi: apigwv2.HttpApi;
  public readonly stage: apigwv2.HttpStage;
  public readonly accessLogGroup: logs.LogGroup;
  public readonly createPurchase: TicketingFunction;
  public readonly getPurchase: TicketingFunction;
  public readonly getConcertSeats: TicketingFunction;
  private readonly authorizer: HttpJwtAuthorizer;

  constructor(scope: Construct, id: string, props: TicketingApiProps) {
    super(scope, id);
    const { tables } = props;

    this.userPool = new cognito.UserPool(this, 'Buyers', {
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason: 'Buyers may enrol a TOTP second factor (MFA optional); requiring it at checkout would turn buyers away during an on-sale, and a buyer account only holds their own purchases.',
      },
      {
        id: 'AwsSolutions-COG8',
        reason: 'The Plus feature plan (threat protection) is billed per monthly active user; enable it per deployment where the buyer base justifies it.',
      },
    );
    this.userPoolClient = this.userPool.addClient('BuyerApp', {
      // SRP for buyer apps; USER_PASSWORD_AUTH so `npm run token -- --target aws` (or `aws cognito-idp initiate-auth`) can fetch a token to try the deployed API.
      authFlows: { userSrp: true, userPassword: true },
      // There is no hosted UI, hence no OAuth redirect flow (CDK would otherwise allow one to https://example.com).
      disableOAuth: true,
      generateSecret: false,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
    });

    const issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
    this.authorizer = new HttpJwtAuthorizer('BuyerJwt', issuer, {
      jwtAudience: [this.userPoolClient.userPoolClientId],
    });

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: `${Stack.of(this).stackName}-buyers`,
      description: 'Ticket purchases: buy seats, follow a purchase, read a seat map',
      createDefaultStage: false,
      ...(props.corsAllowedOrigins !== undefined &&
        props.corsAllowedOrigins.length > 0 && {
        corsPreflight: {
          allowOrigins: [...props.corsAllowedOrigins],
          allowMethods: [apigwv2.CorsHttpMethod.GET, apigwv2.CorsHttpMethod.POST],
          allowHeaders: CORS_ALLOWED_HEADERS,
          maxAge: Duration.hours(1),
        },
      }),
    });
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      // Under /aws/vendedlogs/ so log delivery needs no entry in the account's size-limited log resource policy.
      logGroupName: `/aws/vendedlogs/apigateway/${Stack.of(this).stackName}-buyers-access`,
      retention: props.accessLogRetention ?? logs.RetentionDays.ONE_MONTH,
      // A named group that outlived its stack would block deploying the stack again under the same name.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 1000, burstLimit: 2000 },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogGroup),
        format: apigateway.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FORMAT)),
      },
    });

    this.createPurchase = new TicketingFunction(this, 'CreatePurchase', {
      handlerName: 'create-purchase',
      description: 'POST /purchases: validates, records the purchase as QUEUED and enqueues it',
      config: {
        purchasesTable: tables.purchases.tableName,
        concertsTable: tables.concerts.tableName,
        seatsTable: tables.seats.tableName,
        purchaseQueueUrl: props.purchaseQueue.queueUrl,
        eventBusName: props.eventBus.eventBusName,
      },
    });
    grantTableAccess(this.createPurchase, 'create-purchase', tables);
    props.purchaseQueue.grantSendMessages(this.createPurchase);
    grantPublishing(this.createPurchase, 'create-purchase', props.eventBus);

    this.getPurchase = new TicketingFunction(this, 'GetPurchase', {
      handlerName: 'get-purchase',
      description: "GET /purchases/{purchaseId}: the buyer's purchase status",
      config: { purchasesTable: tables.purchases.tableName },
    });
    grantTableAccess(this.getPurchase, 'get-purchase', tables);

    this.getConcertSeats = new TicketingFunction(this, 'GetConcertSeats', {
      handlerName: 'get-concert-seats',
      description: 'GET /concerts/{concertId}/seats: the seat map with prices and availability',
      config: { seatAvailabilityTable: tables.seatAvailability.tableName, concertsTable: tables.concerts.tableName },
    });
    grantTableAccess(this.getConcertSeats, 'get-concert-seats', tables);

    this.addBuyerRoute(API_ROUTES.createPurchase, 'CreatePurchase', this.createPurchase);
    this.addBuyerRoute(API_ROUTES.getPurchase, 'GetPurchase', this.getPurchase);
    this.addBuyerRoute(API_ROUTES.getConcertSeats, 'GetConcertSeats', this.getConcertSeats);
  }

  /** Routes one of API_ROUTES to a function, behind the buyers' JWT check (other constructs add theirs, e.g. the waiting room). */
  addBuyerRoute(route: ApiRoute, id: string, handler: TicketingFunction): void {
    this.httpApi.addRoutes({
      path: route.path,
      methods: [route.method],
      integration: new HttpLambdaIntegration(`${id}Integration`, handler),
      authorizer: this.authorizer,
    });
  }

  /** The API's base URL (the default stage serves at the root). */
  get url(): string {
    return this.stage.url;
  }
}
