import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { MoniteAccessDecision } from './monite-access.decorator.js';
import { MonitePermission, MonitePublic } from './monite-permission.decorator.js';
import { MoniteRoutePolicies, toRouteRequirement } from './monite-route-policy.js';
import { permissionPairId } from './permission-matrix.js';

const ownerFunction = () => undefined;

@Injectable()
class OwnerClass {
  resolveOwner(_context: unknown, access: MoniteAccessDecision) {
    return access.user.entityUserId;
  }
}

@MonitePermission('role', 'read')
class RolesController {
  list() {}

  @MonitePermission('role', 'create', { owner: ownerFunction })
  create() {}

  @MonitePublic()
  open() {}
}

class PlainController {
  @MonitePermission('payable', 'approve', { owner: OwnerClass })
  approve() {}

  unguarded() {}

  @MonitePublic()
  @MonitePermission('payable', 'read')
  confused() {}
}

@MonitePublic()
class PublicController {
  health() {}

  @MonitePermission('payable', 'read')
  guarded() {}
}

/** Two controllers sharing one inherited handler, with different class-level permissions. */
class BaseController {
  shared() {}
}
@MonitePermission('tag', 'read')
class TagsController extends BaseController {}
@MonitePermission('product', 'read')
class ProductsController extends BaseController {}

describe('MoniteRoutePolicies', () => {
  let policies: MoniteRoutePolicies;
  beforeEach(() => {
    policies = new MoniteRoutePolicies(new Reflector());
  });
  const policyOf = (type: Function, method: string) =>
    policies.get(type, (type.prototype as Record<string, Function>)[method]);

  it('reads the class-level permission, and the handler-level one wins over it', () => {
    expect(policyOf(RolesController, 'list')).toMatchObject({
      isPublic: false,
      requirement: { objectType: 'role', action: 'read', name: 'role.read' },
      handler: 'RolesController.list',
    });
    expect(policyOf(RolesController, 'create').requirement).toMatchObject({ name: 'role.create' });
    expect(policyOf(RolesController, 'open')).toEqual({ isPublic: true, handler: 'RolesController.open' });
  });

  it('a public class with a guarded handler: the handler wins; the others are public', () => {
    expect(policyOf(PublicController, 'health').isPublic).toBe(true);
    expect(policyOf(PublicController, 'guarded')).toMatchObject({
      isPublic: false,
      requirement: { action: 'read' },
    });
  });

  it('neither decorator: not public and no requirement (the guard answers 403)', () => {
    expect(policyOf(PlainController, 'unguarded')).toEqual({
      isPublic: false,
      handler: 'PlainController.unguarded',
    });
  });

  it('@MonitePermission wins over @MonitePublic on one level (fail closed)', () => {
    expect(policyOf(PlainController, 'confused')).toMatchObject({
      isPublic: false,
      requirement: { action: 'read' },
    });
  });

  it('is cached per handler and class: one handler serving two classes keeps both policies', () => {
    const handler = BaseController.prototype.shared;
    const tags = policies.get(TagsController, handler);
    const products = policies.get(ProductsController, handler);
    expect(tags.requirement?.name).toBe('tag.read');
    expect(products.requirement?.name).toBe('product.read');
    expect(policies.get(TagsController, handler)).toBe(tags);
    expect(policies.get(ProductsController, handler)).toBe(products);
  });
});

describe('toRouteRequirement', () => {
  it('computes the pair id once and splits the owner option by kind', () => {
    const withFunction = toRouteRequirement({
      objectType: 'payable',
      action: 'approve',
      owner: ownerFunction,
    });
    expect(withFunction).toMatchObject({
      pairId: permissionPairId('payable', 'approve'),
      name: 'payable.approve',
      ownerFunction,
      ownerClass: undefined,
    });
    const withClass = toRouteRequirement({ objectType: 'payable', action: 'approve', owner: OwnerClass });
    expect(withClass).toMatchObject({ ownerClass: OwnerClass, ownerFunction: undefined });
  });

  it('a pair the matrix lacks gets id -1 (every role denies it) and keeps its name for the 403', () => {
    expect(toRouteRequirement({ objectType: 'hologram' as never, action: 'read' })).toMatchObject({
      pairId: -1,
      name: 'hologram.read',
    });
  });
});
