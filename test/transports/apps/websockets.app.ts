/*
 * The WebSocket scenario app: a socket.io gateway guarded by MonitePermissionGuard
 * (`@UseGuards` on the gateway), each handler counting its runs. Callers are named by the
 * handshake's headers, which the guard and `resolveEntityUser` read from `client.handshake`.
 */
import { Module, UseGuards, type Type } from '@nestjs/common';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
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

const payableOwner = fromMoniteObject('payable');

interface PayableMessage {
  id: string;
}

@WebSocketGateway()
@UseGuards(MonitePermissionGuard)
class TestPayablesGateway {
  constructor(private readonly runs: HandlerRuns) {}

  @SubscribeMessage('health')
  @MonitePublic()
  health(): string {
    this.runs.record('health');
    return 'ok';
  }

  @SubscribeMessage('payables')
  @MonitePermission('payable', 'read')
  payables(@MoniteAccess() access: MoniteAccessDecision): PayableView {
    return viewOf(this.runs, 'payables', access);
  }

  @SubscribeMessage('payable')
  @MonitePermission('payable', 'read', { owner: payableOwner })
  payable(
    @MessageBody() _message: PayableMessage,
    @MoniteAccess() access: MoniteAccessDecision,
  ): PayableView {
    return viewOf(this.runs, 'payable', access);
  }

  @SubscribeMessage('approvePayable')
  @MonitePermission('payable', 'approve', { owner: payableOwner })
  approvePayable(
    @MessageBody() _message: PayableMessage,
    @MoniteAccess() access: MoniteAccessDecision,
  ): PayableView {
    return viewOf(this.runs, 'approvePayable', access);
  }

  /** An owner function reading the message body. */
  @SubscribeMessage('updatePayable')
  @MonitePermission('payable', 'update', {
    owner: (context) => creatorOf(context.switchToWs().getData<PayableMessage>().id),
  })
  updatePayable(
    @MessageBody() _message: PayableMessage,
    @MoniteAccess() access: MoniteAccessDecision,
  ): PayableView {
    return viewOf(this.runs, 'updatePayable', access);
  }

  /** A body that is no object (the id itself): the decision is kept with the acknowledgement. */
  @SubscribeMessage('deletePayable')
  @MonitePermission('payable', 'delete', {
    owner: (context) => creatorOf(context.switchToWs().getData<string>()),
  })
  deletePayable(@MessageBody() _id: string, @MoniteAccess() access: MoniteAccessDecision): PayableView {
    return viewOf(this.runs, 'deletePayable', access);
  }
}

/** The app for the emulator's options. */
export function websocketsApp(options: MoniteAuthModuleOptions): Type<unknown> {
  @Module({
    imports: [
      MoniteAuthModule.forRoot({
        ...options,
        resolveEntityUser: callerOfAnyContext(authenticateTestHeaders),
      }),
    ],
    providers: [TestPayablesGateway, HandlerRuns],
  })
  class WebsocketsAppModule {}
  return WebsocketsAppModule;
}
