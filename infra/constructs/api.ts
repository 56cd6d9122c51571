// The two front doors, built from the route table (infra/routes.ts) and nothing else: the HTTP API (`auth:
// true` routes verify the access token in their own function) and the WebSocket API (authorized once at
// $connect with the one-time ticket). Routes run in a few functions grouped by area (infra/function-groups.ts).
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat, CfnAccount } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpRoute as ApiRoute,
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
  type ThrottleSettings,
  WebSocketApi,
  WebSocketStage,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration, WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { entrySource, functionDescription, groupedFunctions } from '../function-groups.js';
import {
  type FunctionGroup,
  type HttpRoute,
  httpCors,
  httpRoutes,
  realtimeFunction,
  routeKey,
  type WsRoute,
  wsAuthorizer,
  wsRoutes,
} from '../routes.js';
import { AppFunction, type FunctionDefaults } from './function.js';
import { acknowledge } from './nag.js';

/** Per-stage request rates; API Gateway answers 429 above them before any function runs. */
const httpThrottle: ThrottleSettings = { rateLimit: 100, burstLimit: 200 };
/**
 * The first line against floods of the routes anyone may call (a sign-in is a 1 GB Lambda hashing a
 * password): each gets a share of the stage's rate of its own, so a flood of one cannot take the others'
 * (or the signed-in customers') share. The per-IP limit in the functions (shared/http/anonymous-limit.ts)
 * is the second line. WAF cannot be attached to HTTP or WebSocket APIs.
 */
const publicRouteThrottle: ThrottleSettings = { rateLimit: 10, burstLimit: 20 };
const realtimeThrottle: ThrottleSettings = { rateLimit: 100, burstLimit: 200 };

/** API Gateway gives up on an integration after 29 s; a request path that needs more than 10 s is a bug. */
const requestTimeout = Duration.seconds(10);

const httpAccessLogFormat = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  method: '$context.httpMethod',
  path: '$context.path',
  routeKey: '$context.routeKey',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  error: '$context.error.message',
};

const realtimeAccessLogFormat = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  connectionId: '$context.connectionId',
  eventType: '$context.eventType',
  routeKey: '$context.routeKey',
  status: '$context.status',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integration.error',
  authorizerError: '$context.authorizer.error',
  error: '$context.error.message',
};

export interface ApiProps {
  /** Deployment stage name; also the WebSocket API's stage, so its URL ends in `/<stage>`. */
  stage: string;
  webOrigins: string[];
  /** Retention of the API Gateway access logs. */
  accessLogRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
  functions: Omit<FunctionDefaults, 'connections' | 'apiUrl'>;
}

export class Api extends Construct {
  readonly http: HttpApi;
  readonly httpStage: HttpStage;
  readonly realtime?: WebSocketApi;
  readonly realtimeStage?: WebSocketStage;
  /** The functions behind both APIs (infra/function-groups.ts), the WebSocket authorizer's included. */
  readonly functions: AppFunction[] = [];
  /** What later functions (scheduled jobs) share with these, the @connections endpoint and API URL included. */
  readonly functionDefaults: FunctionDefaults;
  private readonly ids = new Map<string, string>();
  private readonly groupFunctions = new Map<FunctionGroup, AppFunction>();

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    this.http = new HttpApi(this, 'Http', {
      description: `Atende ${props.stage}: portal and admin API`,
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.webOrigins,
        allowMethods: httpCors.allowMethods.map((method) => CorsHttpMethod[method]),
        allowHeaders: [...httpCors.allowHeaders],
        exposeHeaders: [...httpCors.exposeHeaders],
        maxAge: Duration.seconds(httpCors.maxAgeSeconds),
      },
    });
    this.httpStage = new HttpStage(this, 'HttpStage', {
      httpApi: this.http,
      stageName: '$default',
      autoDeploy: true,
      throttle: httpThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup('HttpAccessLogs', props)),
        format: AccessLogFormat.custom(JSON.stringify(httpAccessLogFormat)),
      },
    });

    const publicRoutes = (httpRoutes as readonly HttpRoute[]).filter(
      (route) => !route.auth && route.path !== '$default',
    );
    (this.httpStage.node.defaultChild as CfnStage).addPropertyOverride(
      'RouteSettings',
      Object.fromEntries(
        publicRoutes.map((route) => [
          routeKey(route),
          {
            ThrottlingRateLimit: publicRouteThrottle.rateLimit,
            ThrottlingBurstLimit: publicRouteThrottle.burstLimit,
          },
        ]),
      ),
    );

    const realtimeRoutes = wsRoutes as readonly WsRoute[];
    if (realtimeRoutes.length > 0) {
      // Without a $connect route API Gateway accepts every connection unauthenticated.
      if (!realtimeRoutes.some((route) => route.routeKey === '$connect')) {
        throw new Error('infra/routes.ts: wsRoutes needs a $connect route, where the connection is authorized');
      }
      this.realtime = new WebSocketApi(this, 'Realtime', {
        description: `Atende ${props.stage}: chat and live updates`,
        routeSelectionExpression: '$request.body.action',
      });
      this.realtimeStage = new WebSocketStage(this, 'RealtimeStage', {
        webSocketApi: this.realtime,
        stageName: props.stage,
        autoDeploy: true,
        throttle: realtimeThrottle,
        accessLogSettings: {
          destination: new LogGroupLogDestination(this.accessLogGroup('RealtimeAccessLogs', props)),
          format: AccessLogFormat.custom(JSON.stringify(realtimeAccessLogFormat)),
        },
      });
      this.realtimeStage.node.addDependency(this.apiGatewayLoggingAccount());
    }

    this.functionDefaults = { ...props.functions, connections: this.realtimeStage, apiUrl: this.http.apiEndpoint };
    for (const grouped of groupedFunctions()) {
      this.functionDefaults.bundles.generated(grouped.group, (pathOf) => entrySource(grouped, pathOf));
      this.groupFunctions.set(
        grouped.group,
        this.addFunction(grouped.id, {
          handler: grouped.group,
          access: grouped.access,
          memory: grouped.memory,
          timeout: requestTimeout,
          description: functionDescription(grouped.group),
        }),
      );
    }
    this.addHttpRoutes(httpRoutes as readonly HttpRoute[]);
    if (this.realtime) this.addRealtimeRoutes(this.realtime, realtimeRoutes);
  }

  private functionOf(group: FunctionGroup): AppFunction {
    const fn = this.groupFunctions.get(group);
    if (!fn) throw new Error(`no function ${group}`);
    return fn;
  }

  private addHttpRoutes(routes: readonly HttpRoute[]): void {
    // One integration per function, shared by its routes; API Gateway may invoke the function for any route
    // of this API (one permission, not one per route: the router answers only its own routes).
    const integrations = new Map<FunctionGroup, HttpLambdaIntegration>();
    const integrationOf = (group: FunctionGroup) => {
      const existing = integrations.get(group);
      if (existing) return existing;
      const integration = new HttpLambdaIntegration(
        `${this.functionOf(group).node.id}Http`,
        this.functionOf(group).function,
        {
          scopePermissionToRoute: false,
        },
      );
      integrations.set(group, integration);
      return integration;
    };
    for (const route of routes) {
      const integration = integrationOf(route.function);
      const [httpRoute] =
        route.path === '$default'
          ? [
              new ApiRoute(this, 'HttpDefaultRoute', {
                httpApi: this.http,
                routeKey: HttpRouteKey.DEFAULT,
                integration,
              }),
            ]
          : this.http.addRoutes({
              path: route.path,
              methods: [HttpMethod[route.method]],
              integration,
            });
      if (httpRoute) acknowledge(httpRoute, 'AwsSolutions-APIG4', withoutAuthorizer(route));
    }
  }

  private addRealtimeRoutes(api: WebSocketApi, routes: readonly WsRoute[]): void {
    const fn = this.functionOf(realtimeFunction).function;
    const authorizer = new WebSocketLambdaAuthorizer('Authorizer', fn, {
      identitySource: [`route.request.querystring.${wsAuthorizer.identityQueryParameter}`],
    });
    const integration = new WebSocketLambdaIntegration('RealtimeIntegration', fn);

    for (const route of routes) {
      const isConnect = route.routeKey === '$connect';
      const isLifecycle = isConnect || route.routeKey === '$disconnect';
      const wsRoute = api.addRoute(route.routeKey, {
        integration,
        authorizer: isConnect ? authorizer : undefined,
        // Our convention: the `body` a WebSocket handler returns is the reply to the sender.
        returnResponse: !isLifecycle,
      });
      if (!isConnect) {
        acknowledge(
          wsRoute,
          'AwsSolutions-APIG4',
          'API Gateway authorizes a WebSocket connection once, at $connect (one-time ticket); this route runs ' +
            'on an authorized connection and its handler loads the principal stored for the connection.',
        );
      }
    }
  }

  private addFunction(id: string, spec: ConstructorParameters<typeof AppFunction>[2]): AppFunction {
    const previous = this.ids.get(id);
    if (previous) throw new Error(`infra/routes.ts: ${spec.description} and ${previous} map to the same id ${id}`);
    this.ids.set(id, spec.description);
    const fn = new AppFunction(this, id, spec, this.functionDefaults);
    this.functions.push(fn);
    return fn;
  }

  private accessLogGroup(id: string, props: ApiProps): LogGroup {
    return new LogGroup(this, id, { retention: props.accessLogRetention, removalPolicy: props.removalPolicy });
  }

  /**
   * WebSocket (unlike HTTP) APIs write access logs through the region's account-level API Gateway role.
   * The role outlives the stack: another stage in the same account and region relies on the same setting.
   */
  private apiGatewayLoggingAccount(): CfnAccount {
    const role = new Role(this, 'ApiGatewayLogsRole', {
      assumedBy: new ServicePrincipal('apigateway.amazonaws.com'),
      managedPolicies: [ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
    });
    role.applyRemovalPolicy(RemovalPolicy.RETAIN);
    acknowledge(
      role,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      'AmazonAPIGatewayPushToCloudWatchLogs is the documented policy for API Gateway account-level logging; it ' +
        'grants CloudWatch Logs writes only, and API Gateway names the log groups it writes to at run time.',
    );
    return new CfnAccount(this, 'ApiGatewayAccount', { cloudWatchRoleArn: role.roleArn });
  }
}

/** Why an HTTP route has no API Gateway authorizer (cdk-nag AwsSolutions-APIG4). */
function withoutAuthorizer(route: HttpRoute): string {
  if (!route.auth) {
    return (
      `${routeKey(route)} is public in the contract (auth: false in infra/routes.ts): its callers are not signed ` +
      'in yet (health, login, invitations, password reset), so the handler itself validates what it receives.'
    );
  }
  return (
    `${routeKey(route)} verifies the access token in its own function (shared/http/handler.ts) together with ` +
    "the caller's current role, status and groups: a revocation is refused on the next request, which a " +
    "cached or JWT authorizer would not see, every refusal carries the contract's 401 body, and each request " +
    'is one Lambda invocation instead of two.'
  );
}
