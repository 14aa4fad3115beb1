import { z } from 'zod';
import { lambdaFunctionNameOf, parseArn } from '#local/arns';
import type { LocalHttpApi, LocalHttpApiCors, LocalHttpRoute, LocalJwtAuthorizer } from './local-app.ts';
import { readProperties, requireServable, type PropertyPolicy, type ResourceView } from './resource-support.ts';
import { TemplateError, UnsupportedPropertyError } from './template-errors.ts';

/**
 * AWS::ApiGatewayV2::{Api, Route, Integration, Authorizer, Stage} -> LocalHttpApi:
 * HTTP APIs whose routes proxy to Lambda (payload format 2.0), optionally
 * behind a JWT authorizer. Each part is read on its own, then assembled.
 */

const NO_BEHAVIOUR = 'has no behaviour';

const API_POLICY: PropertyPolicy = {
  served: ['Name', 'ProtocolType', 'CorsConfiguration'],
  ignored: {
    Description: NO_BEHAVIOUR,
    Tags: NO_BEHAVIOUR,
    Version: NO_BEHAVIOUR,
    DisableExecuteApiEndpoint: 'the local API has one endpoint, on localhost',
    DisableSchemaValidation: 'schema validation applies to WebSocket APIs only',
    IpAddressType: 'the local API listens on localhost',
    RouteSelectionExpression: 'HTTP APIs always select routes by method and path',
    ApiKeySelectionExpression: 'API keys apply to WebSocket APIs only',
  },
  unsupported: {
    Body: 'APIs imported from OpenAPI are not read locally: declare routes as resources',
    BodyS3Location: 'APIs imported from OpenAPI are not read locally: declare routes as resources',
    Target: 'quick-create APIs are not read locally: declare routes as resources',
    RouteKey: 'quick-create APIs are not read locally: declare routes as resources',
    CredentialsArn: 'quick-create APIs are not read locally: declare routes as resources',
  },
};

const ROUTE_POLICY: PropertyPolicy = {
  served: ['ApiId', 'RouteKey', 'Target', 'AuthorizationType', 'AuthorizerId', 'AuthorizationScopes'],
  ignored: {
    OperationName: NO_BEHAVIOUR,
    ApiKeyRequired: 'API keys apply to WebSocket APIs only',
    RouteResponseSelectionExpression: 'route responses apply to WebSocket APIs only',
    ModelSelectionExpression: 'models apply to WebSocket APIs only',
    RequestModels: 'models apply to WebSocket APIs only',
    RequestParameters: 'request parameters apply to WebSocket APIs only',
  },
};

const INTEGRATION_POLICY: PropertyPolicy = {
  served: ['ApiId', 'IntegrationType', 'IntegrationUri', 'PayloadFormatVersion', 'TimeoutInMillis'],
  ignored: {
    Description: NO_BEHAVIOUR,
    IntegrationMethod: 'Lambda proxy integrations always invoke with POST',
    CredentialsArn: 'the local runtime does not enforce IAM',
  },
  unsupported: {
    RequestParameters: 'parameter mapping is not emulated',
    ResponseParameters: 'parameter mapping is not emulated',
    ConnectionType: 'VPC links are not emulated',
    ConnectionId: 'VPC links are not emulated',
    TlsConfig: 'private integrations are not emulated',
    IntegrationSubtype: 'AWS service integrations are not emulated',
    RequestTemplates: 'request templates apply to WebSocket APIs only',
  },
};

const AUTHORIZER_POLICY: PropertyPolicy = {
  served: ['ApiId', 'AuthorizerType', 'IdentitySource', 'JwtConfiguration', 'Name'],
  unsupported: {
    AuthorizerUri: 'Lambda authorizers are not emulated: use a JWT authorizer',
    AuthorizerPayloadFormatVersion: 'Lambda authorizers are not emulated: use a JWT authorizer',
    EnableSimpleResponses: 'Lambda authorizers are not emulated: use a JWT authorizer',
    AuthorizerResultTtlInSeconds: 'Lambda authorizers are not emulated: use a JWT authorizer',
    AuthorizerCredentialsArn: 'Lambda authorizers are not emulated: use a JWT authorizer',
  },
};

const STAGE_POLICY: PropertyPolicy = {
  served: ['ApiId', 'StageName'],
  ignored: {
    AutoDeploy: 'the local API always serves the routes of the template',
    DeploymentId: 'the local API always serves the routes of the template',
    AccessLogSettings: 'access logs go to CloudWatch, which does not exist locally',
    DefaultRouteSettings: 'the local API does not throttle or emit metrics',
    RouteSettings: 'the local API does not throttle or emit metrics',
    Description: NO_BEHAVIOUR,
    Tags: NO_BEHAVIOUR,
  },
  unsupported: {
    StageVariables: 'stage variables are not emulated',
    ClientCertificateId: 'client certificates are not emulated',
  },
};

/** The stage whose routes are at the root of the API's URL, the only one served locally. */
const DEFAULT_STAGE = '$default';
const DEFAULT_ROUTE = '$default';
const DEFAULT_INTEGRATION_TIMEOUT_MS = 30_000;

const stringList = z.array(z.string()).default([]);

const apiPropertiesSchema = z.object({
  Name: z.string().min(1).optional(),
  ProtocolType: z.string(),
  CorsConfiguration: z
    .object({
      AllowOrigins: stringList,
      AllowMethods: stringList,
      AllowHeaders: stringList,
      ExposeHeaders: stringList,
      AllowCredentials: z.boolean().default(false),
      MaxAge: z.coerce.number().int().optional(),
    })
    .optional(),
});

const routePropertiesSchema = z.object({
  ApiId: z.string().min(1),
  RouteKey: z.string().min(1),
  Target: z.string().optional(),
  AuthorizationType: z.string().default('NONE'),
  AuthorizerId: z.string().optional(),
  AuthorizationScopes: stringList,
});

const integrationPropertiesSchema = z.object({
  ApiId: z.string().min(1),
  IntegrationType: z.string(),
  IntegrationUri: z.string().optional(),
  PayloadFormatVersion: z.string().default('1.0'),
  TimeoutInMillis: z.coerce.number().int().positive().optional(),
});

const authorizerPropertiesSchema = z.object({
  ApiId: z.string().min(1),
  AuthorizerType: z.string(),
  IdentitySource: stringList,
  JwtConfiguration: z.object({ Audience: stringList, Issuer: z.string().min(1) }).optional(),
  Name: z.string().min(1),
});

const stagePropertiesSchema = z.object({ ApiId: z.string().min(1), StageName: z.string().min(1) });

export interface HttpApiPart {
  readonly logicalId: string;
  readonly apiId: string;
  readonly name: string;
  readonly endpoint: string;
  readonly cors?: LocalHttpApiCors;
}

export interface HttpRoutePart {
  readonly logicalId: string;
  readonly apiId: string;
  readonly routeKey: string;
  readonly integrationId: string;
  readonly authorizerId?: string;
  readonly authorizationScopes: readonly string[];
}

export interface HttpIntegrationPart {
  readonly logicalId: string;
  readonly apiId: string;
  readonly functionName: string;
  readonly timeoutMs: number;
}

export interface HttpAuthorizerPart {
  readonly apiId: string;
  readonly authorizer: LocalJwtAuthorizer;
}

export const HTTP_API_TYPES = {
  api: 'AWS::ApiGatewayV2::Api',
  route: 'AWS::ApiGatewayV2::Route',
  integration: 'AWS::ApiGatewayV2::Integration',
  authorizer: 'AWS::ApiGatewayV2::Authorizer',
  stage: 'AWS::ApiGatewayV2::Stage',
} as const;

export const mapHttpApi = (resource: ResourceView, endpoint: string): HttpApiPart => {
  const properties = readProperties(resource, API_POLICY, apiPropertiesSchema);
  requireServable(resource, 'ProtocolType', properties.ProtocolType === 'HTTP', `only HTTP APIs are served locally, not ${properties.ProtocolType}`);
  const cors = properties.CorsConfiguration;
  return {
    logicalId: resource.logicalId,
    apiId: resource.logicalId,
    name: properties.Name ?? resource.logicalId,
    endpoint: endpoint.replace(/\/+$/, ''),
    ...(cors
      ? {
          cors: {
            allowOrigins: cors.AllowOrigins,
            allowMethods: cors.AllowMethods,
            allowHeaders: cors.AllowHeaders,
            exposeHeaders: cors.ExposeHeaders,
            allowCredentials: cors.AllowCredentials,
            ...(cors.MaxAge !== undefined ? { maxAgeSeconds: cors.MaxAge } : {}),
          },
        }
      : {}),
  };
};

const INTEGRATION_TARGET = /^integrations\/(.+)$/;

export const mapHttpRoute = (resource: ResourceView): HttpRoutePart => {
  const properties = readProperties(resource, ROUTE_POLICY, routePropertiesSchema);
  const integrationId = properties.Target ? INTEGRATION_TARGET.exec(properties.Target)?.[1] : undefined;
  requireServable(resource, 'Target', integrationId !== undefined, 'a route must target an integration ("integrations/<id>")');
  const authorizationType = properties.AuthorizationType;
  requireServable(resource, 'AuthorizationType', authorizationType === 'NONE' || authorizationType === 'JWT', `only JWT authorization is emulated, not ${authorizationType}`);
  requireServable(resource, 'AuthorizerId', authorizationType !== 'JWT' || properties.AuthorizerId !== undefined, 'a JWT route needs an authorizer');
  return {
    logicalId: resource.logicalId,
    apiId: properties.ApiId,
    routeKey: properties.RouteKey,
    integrationId: integrationId ?? '',
    ...(authorizationType === 'JWT' && properties.AuthorizerId ? { authorizerId: properties.AuthorizerId } : {}),
    authorizationScopes: properties.AuthorizationScopes,
  };
};

/** `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations` or the function ARN itself. */
const INVOCATION_URI = /^arn:[^:]+:apigateway:[^:]*:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/;

export const mapHttpIntegration = (resource: ResourceView): HttpIntegrationPart => {
  const properties = readProperties(resource, INTEGRATION_POLICY, integrationPropertiesSchema);
  requireServable(resource, 'IntegrationType', properties.IntegrationType === 'AWS_PROXY', `only Lambda proxy integrations are served, not ${properties.IntegrationType}`);
  requireServable(resource, 'PayloadFormatVersion', properties.PayloadFormatVersion === '2.0', `only payload format 2.0 is emulated, not ${properties.PayloadFormatVersion}`);
  const uri = properties.IntegrationUri ?? '';
  const functionArn = INVOCATION_URI.exec(uri)?.[1] ?? uri;
  requireServable(resource, 'IntegrationUri', parseArn(functionArn)?.service === 'lambda', `the integration must invoke a Lambda function, not ${uri || 'nothing'}`);
  return {
    logicalId: resource.logicalId,
    apiId: properties.ApiId,
    functionName: lambdaFunctionNameOf(functionArn),
    timeoutMs: properties.TimeoutInMillis ?? DEFAULT_INTEGRATION_TIMEOUT_MS,
  };
};

/**
 * `localIssuerFor` maps the template's issuer (a Cognito user pool of the
 * stack) to the local issuer; an issuer it does not know is an error, since
 * no token from it could be checked offline.
 */
export const mapHttpAuthorizer = (resource: ResourceView, localIssuerFor: (issuer: string) => string | undefined): HttpAuthorizerPart => {
  const properties = readProperties(resource, AUTHORIZER_POLICY, authorizerPropertiesSchema);
  requireServable(resource, 'AuthorizerType', properties.AuthorizerType === 'JWT', `only JWT authorizers are emulated, not ${properties.AuthorizerType}`);
  const jwt = properties.JwtConfiguration;
  requireServable(resource, 'JwtConfiguration', jwt !== undefined, 'a JWT authorizer needs an issuer and an audience');
  const issuer = localIssuerFor(jwt?.Issuer ?? '');
  requireServable(resource, 'JwtConfiguration.Issuer', issuer !== undefined, `the issuer ${jwt?.Issuer} is not a user pool of this stack, so the local issuer cannot stand in for it`);
  return {
    apiId: properties.ApiId,
    authorizer: {
      logicalId: resource.logicalId,
      name: properties.Name,
      issuer: issuer ?? '',
      audience: jwt?.Audience ?? [],
      identitySource: properties.IdentitySource,
    },
  };
};

export const checkHttpStage = (resource: ResourceView): string => {
  const properties = readProperties(resource, STAGE_POLICY, stagePropertiesSchema);
  requireServable(resource, 'StageName', properties.StageName === DEFAULT_STAGE, `only the ${DEFAULT_STAGE} stage is served (routes at the API root), not ${properties.StageName}`);
  return properties.ApiId;
};

const parseRouteKey = (routeKey: string): { method?: string; path?: string } => {
  if (routeKey === DEFAULT_ROUTE) return {};
  const [method, path, ...rest] = routeKey.split(' ');
  if (!method || !path || rest.length > 0 || !path.startsWith('/')) return { method: '', path: '' };
  return { method: method.toUpperCase(), path };
};

export interface HttpApiParts {
  readonly apis: readonly HttpApiPart[];
  readonly routes: readonly HttpRoutePart[];
  readonly integrations: readonly HttpIntegrationPart[];
  readonly authorizers: readonly HttpAuthorizerPart[];
}

/** Joins routes to their integration and authorizer; a dangling reference is an error naming the route. */
export const assembleHttpApis = (parts: HttpApiParts): LocalHttpApi[] => {
  const apiIds = new Set(parts.apis.map((api) => api.apiId));
  const orphan = [...parts.routes, ...parts.integrations, ...parts.authorizers].find((part) => !apiIds.has(part.apiId));
  if (orphan) throw new TemplateError(`API ${orphan.apiId} is not an HTTP API of this stack, yet routes, integrations or authorizers belong to it`);
  return parts.apis.map((api) => ({
    logicalId: api.logicalId,
    apiId: api.apiId,
    name: api.name,
    endpoint: api.endpoint,
    ...(api.cors ? { cors: api.cors } : {}),
    routes: parts.routes.filter((route) => route.apiId === api.apiId).map((route) => assembleRoute(route, parts)),
  }));
};

const assembleRoute = (route: HttpRoutePart, parts: HttpApiParts): LocalHttpRoute => {
  const integration = parts.integrations.find((candidate) => candidate.logicalId === route.integrationId && candidate.apiId === route.apiId);
  if (!integration) throw new TemplateError(`Route ${route.logicalId} (${route.routeKey}) targets integration ${route.integrationId}, which is not in API ${route.apiId}`);
  const authorizer = route.authorizerId
    ? parts.authorizers.find((candidate) => candidate.authorizer.logicalId === route.authorizerId && candidate.apiId === route.apiId)?.authorizer
    : undefined;
  if (route.authorizerId && !authorizer) throw new TemplateError(`Route ${route.logicalId} (${route.routeKey}) uses authorizer ${route.authorizerId}, which is not in API ${route.apiId}`);
  const { method, path } = parseRouteKey(route.routeKey);
  if (method === '') throw new UnsupportedPropertyError(route.logicalId, HTTP_API_TYPES.route, 'RouteKey', `"${route.routeKey}" is neither "$default" nor "METHOD /path"`);
  return {
    routeKey: route.routeKey,
    ...(method !== undefined ? { method } : {}),
    ...(path !== undefined ? { path } : {}),
    functionName: integration.functionName,
    timeoutMs: integration.timeoutMs,
    ...(authorizer ? { authorizer } : {}),
    authorizationScopes: route.authorizationScopes,
  };
};
