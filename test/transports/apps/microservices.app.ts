/*
 * The microservice scenario app (TCP transport): a message controller guarded by
 * MonitePermissionGuard (`@UseGuards` on the controller), each handler counting its runs. A
 * message carries the caller's headers in its `headers` field, which the guard and
 * `resolveEntityUser` read.
 */
import { Controller, Module, UseGuards, type Type } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
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
import { callerOfAnyContext, type PayableMessage } from '../transports.examples.js';
import { creatorOf, viewOf, type PayableView } from './payable-views.js';

const payableOwner = fromMoniteObject('payable');

@Controller()
@UseGuards(MonitePermissionGuard)
class TestPayablesMessages {
  constructor(private readonly runs: HandlerRuns) {}

  @MessagePattern('health')
  @MonitePublic()
  health(): string {
    this.runs.record('health');
    return 'ok';
  }

  @MessagePattern('payables')
  @MonitePermission('payable', 'read')
  payables(@MoniteAccess() access: MoniteAccessDecision): PayableView {
    return viewOf(this.runs, 'payables', access);
  }

  @MessagePattern('payable')
  @MonitePermission('payable', 'read', { owner: payableOwner })
  payable(@Payload() _message: PayableMessage, @MoniteAccess() access: MoniteAccessDecision): PayableView {
    return viewOf(this.runs, 'payable', access);
  }

  @MessagePattern('payable.approve')
  @MonitePermission('payable', 'approve', { owner: payableOwner })
  approvePayable(
    @Payload() _message: PayableMessage,
    @MoniteAccess() access: MoniteAccessDecision,
  ): PayableView {
    return viewOf(this.runs, 'approvePayable', access);
  }

  /** An owner function reading the message. */
  @MessagePattern('payable.update')
  @MonitePermission('payable', 'update', {
    owner: (context) => creatorOf(context.switchToRpc().getData<PayableMessage>().id),
  })
  updatePayable(
    @Payload() _message: PayableMessage,
    @MoniteAccess() access: MoniteAccessDecision,
  ): PayableView {
    return viewOf(this.runs, 'updatePayable', access);
  }

  /** An event: no answer to send, so a denial only keeps the handler from running. */
  @EventPattern('payable.viewed')
  @MonitePermission('payable', 'read')
  payableViewed(@MoniteAccess() access: MoniteAccessDecision): void {
    viewOf(this.runs, 'payableViewed', access);
  }
}

/** The app for the emulator's options. */
export function microservicesApp(options: MoniteAuthModuleOptions): Type<unknown> {
  @Module({
    imports: [
      MoniteAuthModule.forRoot({
        ...options,
        resolveEntityUser: callerOfAnyContext(authenticateTestHeaders),
      }),
    ],
    controllers: [TestPayablesMessages],
    providers: [HandlerRuns],
  })
  class MicroservicesAppModule {}
  return MicroservicesAppModule;
}
