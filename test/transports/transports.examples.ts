/*
 * The examples of libs/monite-auth/docs/transports.md, type-checked by `npm run typecheck` and
 * booted against the emulator by transports-docs.e2e.spec.ts (one app serving HTTP, GraphQL,
 * socket.io and a TCP microservice). Keep the two in step: each block names its section. The
 * page's blocks carry their own imports (and import one another by file name); here they share
 * one module, their imports merged at the top.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Controller, Injectable, Module, UseGuards, type ExecutionContext } from '@nestjs/common';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import {
  Args,
  Field,
  GqlExecutionContext,
  GraphQLModule,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  type GqlContextType,
} from '@nestjs/graphql';
import { MessagePattern, Payload, type NatsContext } from '@nestjs/microservices';
import {
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
} from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import {
  MoniteAccess,
  MoniteAuthModule,
  MoniteClient,
  MonitePermission,
  MonitePermissionGuard,
  fromMoniteObject,
  type MoniteAccessDecision,
  type MoniteAuthModuleOptions,
  type MoniteCaller,
  type MoniteGuardRequest,
  type MoniteOwnerFunction,
} from 'nestjs-monite-auth';

// --- "Who is calling, in every context" -----------------------------------------------------------
/** Your authentication: who a call's headers (a session cookie, a bearer token) belong to. */
export type Authenticate = (headers: IncomingHttpHeaders) => MoniteCaller | undefined;

/** `resolveEntityUser` for HTTP, GraphQL, WebSocket and RPC calls alike, from the headers each carries. */
export function callerOfAnyContext(authenticate: Authenticate) {
  return (context: ExecutionContext): MoniteCaller | undefined => {
    switch (context.getType<GqlContextType>()) {
      case 'graphql':
        return authenticate(
          GqlExecutionContext.create(context).getContext<{ req: IncomingMessage }>().req.headers,
        );
      case 'ws':
        return authenticate(context.switchToWs().getClient<Socket>().handshake.headers);
      case 'rpc':
        return authenticate(context.switchToRpc().getData<PayableMessage | undefined>()?.headers ?? {});
      default:
        return authenticate(context.switchToHttp().getRequest<IncomingMessage>().headers);
    }
  };
}

// --- "GraphQL" ------------------------------------------------------------------------------------
@ObjectType()
export class Payable {
  @Field(() => ID)
  id!: string;

  @Field()
  status!: string;

  @Field(() => Int)
  amount!: number;

  @Field(() => String, { nullable: true })
  was_created_by_user_id!: string | null;
}

@Resolver(() => Payable)
@UseGuards(MonitePermissionGuard)
export class PayablesResolver {
  constructor(private readonly monite: MoniteClient) {}

  /** allowed: every payable; allowed_for_own: the guard passes with scope `own`, the resolver filters. */
  @Query(() => [Payable])
  @MonitePermission('payable', 'read')
  async payables(@MoniteAccess() access: MoniteAccessDecision): Promise<Payable[]> {
    const page = await this.monite.get<{ data: Payable[] }>('/payables', { user: access.user });
    return access.scope === 'own'
      ? page.data.filter((p) => p.was_created_by_user_id === access.user.entityUserId)
      : page.data;
  }

  /** The built-in owner resolver reads the field's `id` argument and loads the payable once. */
  @Query(() => Payable, { nullable: true })
  @MonitePermission('payable', 'read', { owner: fromMoniteObject('payable') })
  payable(
    @Args('id', { type: () => ID }) _id: string,
    @MoniteAccess() access: MoniteAccessDecision,
  ): Payable {
    return access.object as Payable;
  }

  @Mutation(() => Payable, { nullable: true })
  @MonitePermission('payable', 'approve', { owner: fromMoniteObject('payable') })
  approvePayable(
    @Args('id', { type: () => ID }) id: string,
    @MoniteAccess() access: MoniteAccessDecision,
  ): Promise<Payable> {
    return this.monite.post<Payable>('/payables/{id}/approve', undefined, {
      params: { id },
      user: access.user,
    });
  }
}

// --- "WebSockets" ---------------------------------------------------------------------------------
@WebSocketGateway()
@UseGuards(MonitePermissionGuard)
export class PayablesGateway {
  constructor(private readonly monite: MoniteClient) {}

  /** The built-in owner resolver reads the message's `id` field. */
  @SubscribeMessage('payable')
  @MonitePermission('payable', 'read', { owner: fromMoniteObject('payable') })
  payable(@MessageBody() _message: { id: string }, @MoniteAccess() access: MoniteAccessDecision): Payable {
    return access.object as Payable;
  }

  @SubscribeMessage('approvePayable')
  @MonitePermission('payable', 'approve', { owner: fromMoniteObject('payable') })
  approve(
    @MessageBody() { id }: { id: string },
    @MoniteAccess() access: MoniteAccessDecision,
  ): Promise<Payable> {
    return this.monite.post<Payable>('/payables/{id}/approve', undefined, {
      params: { id },
      user: access.user,
    });
  }
}

// --- "WebSockets": the ws adapter -----------------------------------------------------------------
/** With @nestjs/platform-ws, keep the handshake where the guard (and your resolveEntityUser) read it. */
@WebSocketGateway()
export class WsPayablesGateway implements OnGatewayConnection {
  handleConnection(client: { request?: IncomingMessage }, request: IncomingMessage): void {
    client.request = request;
  }
}

// --- "Microservices" ------------------------------------------------------------------------------
/** A message as a gateway service forwards it: the user's headers, and what to act on. */
export interface PayableMessage {
  headers?: IncomingHttpHeaders;
  id: string;
}

@Controller()
@UseGuards(MonitePermissionGuard)
export class PayablesMessages {
  constructor(private readonly monite: MoniteClient) {}

  /** The built-in owner resolver reads the message's `id` field. */
  @MessagePattern('payable.get')
  @MonitePermission('payable', 'read', { owner: fromMoniteObject('payable') })
  payable(@Payload() _message: PayableMessage, @MoniteAccess() access: MoniteAccessDecision): Payable {
    return access.object as Payable;
  }

  @MessagePattern('payable.approve')
  @MonitePermission('payable', 'approve', { owner: fromMoniteObject('payable') })
  approve(@Payload() { id }: PayableMessage, @MoniteAccess() access: MoniteAccessDecision): Promise<Payable> {
    return this.monite.post<Payable>('/payables/{id}/approve', undefined, {
      params: { id },
      user: access.user,
    });
  }
}

// --- "Microservices": another place for the entity header -----------------------------------------
/** NATS carries headers beside the message: read `x-monite-entity-id` there. */
@Injectable()
export class NatsMonitePermissionGuard extends MonitePermissionGuard {
  protected override getRequest(context: ExecutionContext): MoniteGuardRequest {
    if (context.getType() !== 'rpc') return super.getRequest(context);
    const headers = context.switchToRpc().getContext<NatsContext>().getHeaders();
    return { headers: { 'x-monite-entity-id': headers?.get('x-monite-entity-id') || undefined } };
  }
}

// --- "Owner functions" ----------------------------------------------------------------------------
/** Where your own copy of Monite's payables is (a database, a cache). */
export interface LocalPayables {
  creatorOf(payableId: string): string | undefined;
}

/** An owner function gets the ExecutionContext: here the `id` argument of a GraphQL field. */
export function ownerOfGraphqlPayable(payables: LocalPayables): MoniteOwnerFunction {
  return (context) => payables.creatorOf(GqlExecutionContext.create(context).getArgs<{ id: string }>().id);
}

// --- "Putting it together" ------------------------------------------------------------------------
/** One app for every transport; `authenticate` is your authentication. */
export function payablesAppModule(options: MoniteAuthModuleOptions, authenticate: Authenticate) {
  @Module({
    imports: [
      MoniteAuthModule.forRoot({ ...options, resolveEntityUser: callerOfAnyContext(authenticate) }),
      GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, autoSchemaFile: true }),
    ],
    controllers: [PayablesMessages],
    providers: [PayablesResolver, PayablesGateway],
  })
  class PayablesAppModule {}
  return PayablesAppModule;
}
