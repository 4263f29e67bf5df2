import { Reflector } from '@nestjs/core';
import {
  MonitePermission,
  MonitePermissionMetadata,
  MonitePublic,
  MonitePublicMetadata,
} from './monite-permission.decorator.js';
import type { MoniteOwnerFunction } from './owner-resolver.js';

const reflector = new Reflector();
const owner: MoniteOwnerFunction = () => 'someone';

@MonitePermission('payable', 'read')
class PayablesController {
  list(): void {}

  @MonitePermission('payable', 'approve', { owner })
  approve(): void {}

  @MonitePublic()
  health(): void {}
}

@MonitePublic()
class OpenController {
  status(): void {}

  @MonitePermission('role', 'read')
  roles(): void {}
}

describe('@MonitePermission / @MonitePublic metadata', () => {
  it('stores the pair and the owner option on a handler', () => {
    expect(reflector.get(MonitePermissionMetadata, PayablesController.prototype.approve)).toEqual({
      objectType: 'payable',
      action: 'approve',
      owner,
    });
  });

  it('stores class-level metadata on the class, not on undecorated handlers', () => {
    expect(reflector.get(MonitePermissionMetadata, PayablesController)).toEqual({
      objectType: 'payable',
      action: 'read',
      owner: undefined,
    });
    expect(reflector.get(MonitePermissionMetadata, PayablesController.prototype.list)).toBeUndefined();
  });

  it("handler wins over class: getAllAndOverride with [handler, class] gives the handler's", () => {
    const read = (handler: Function, type: Function) =>
      reflector.getAllAndOverride(MonitePermissionMetadata, [handler, type]);
    expect(read(PayablesController.prototype.approve, PayablesController)).toMatchObject({
      action: 'approve',
    });
    expect(read(PayablesController.prototype.list, PayablesController)).toMatchObject({ action: 'read' });
    expect(read(OpenController.prototype.roles, OpenController)).toMatchObject({ objectType: 'role' });
  });

  it('@MonitePublic marks a handler or a class', () => {
    expect(reflector.get(MonitePublicMetadata, PayablesController.prototype.health)).toBe(true);
    expect(reflector.get(MonitePublicMetadata, OpenController)).toBe(true);
    expect(reflector.get(MonitePublicMetadata, PayablesController.prototype.list)).toBeUndefined();
  });

  it('uses its own generated metadata keys, not a bare string like "roles"', () => {
    expect(MonitePermissionMetadata.KEY).not.toBe(MonitePublicMetadata.KEY);
    expect(MonitePermissionMetadata.KEY).not.toMatch(/^(roles|permission|permissions|public)$/);
  });
});
