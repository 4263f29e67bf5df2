/*
 * The GraphQL scenario app (Apollo, code first, on Express or Fastify): every resolver guarded by
 * the app-wide MonitePermissionGuard, each one counting its runs. Callers are named by HTTP headers,
 * which the guard and `resolveEntityUser` read from the GraphQL context's `req`.
 */
import { Module, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import {
  Args,
  Field,
  GqlExecutionContext,
  GraphQLModule,
  ID,
  Mutation,
  ObjectType,
  Query,
  Resolver,
} from '@nestjs/graphql';
import {
  MoniteAccess,
  MoniteAuthModule,
  MonitePermission,
  MonitePermissionGuard,
  MonitePublic,
  fromMoniteObject,
  type MoniteAccessDecision,
  type MoniteAuthModuleOptions,
} from 'nestjs-monite-auth';
import { authenticateTestHeaders, HandlerRuns } from '../transport-test-kit.js';
import { callerOfAnyContext } from '../transports.examples.js';
import { creatorOf, viewOf, type PayableView } from './payable-views.js';

@ObjectType('PayableView')
class PayableViewType implements PayableView {
  @Field()
  handler!: string;
  @Field()
  scope!: string;
  @Field()
  permission!: string;
  @Field()
  entityUserId!: string;
  @Field(() => String, { nullable: true })
  objectId!: string | null;
}

const payableOwner = fromMoniteObject('payable');

@Resolver()
class TestPayablesResolver {
  constructor(private readonly runs: HandlerRuns) {}

  @Query(() => String)
  @MonitePublic()
  health(): string {
    this.runs.record('health');
    return 'ok';
  }

  @Query(() => PayableViewType, { nullable: true })
  @MonitePermission('payable', 'read')
  payables(@MoniteAccess() access: MoniteAccessDecision): PayableView {
    return viewOf(this.runs, 'payables', access);
  }

  @Query(() => PayableViewType, { nullable: true })
  @MonitePermission('payable', 'read', { owner: payableOwner })
  payable(
    @Args('id', { type: () => ID }) _id: string,
    @MoniteAccess() access: MoniteAccessDecision,
  ): PayableView {
    return viewOf(this.runs, 'payable', access);
  }

  @Mutation(() => PayableViewType, { nullable: true })
  @MonitePermission('payable', 'approve', { owner: payableOwner })
  approvePayable(
    @Args('id', { type: () => ID }) _id: string,
    @MoniteAccess() access: MoniteAccessDecision,
  ): PayableView {
    return viewOf(this.runs, 'approvePayable', access);
  }

  /** An owner function: the creator from the app's own copy, by the field's `id` argument. */
  @Mutation(() => PayableViewType, { nullable: true })
  @MonitePermission('payable', 'update', {
    owner: (context) => creatorOf(GqlExecutionContext.create(context).getArgs<{ id: string }>().id),
  })
  updatePayable(
    @Args('id', { type: () => ID }) _id: string,
    @Args('description') _description: string,
    @MoniteAccess() access: MoniteAccessDecision,
  ): PayableView {
    return viewOf(this.runs, 'updatePayable', access);
  }
}

/** The app for the emulator's options. */
export function graphqlApp(options: MoniteAuthModuleOptions): Type<unknown> {
  @Module({
    imports: [
      MoniteAuthModule.forRoot({
        ...options,
        resolveEntityUser: callerOfAnyContext(authenticateTestHeaders),
      }),
      GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, autoSchemaFile: true }),
    ],
    providers: [TestPayablesResolver, HandlerRuns, { provide: APP_GUARD, useClass: MonitePermissionGuard }],
  })
  class GraphqlAppModule {}
  return GraphqlAppModule;
}
