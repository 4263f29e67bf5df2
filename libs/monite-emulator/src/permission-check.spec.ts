import { describe, expect, it } from '@jest/globals';
import type { Principal } from './authenticate.js';
import { demoCore } from './core.js';
import { DEMO_ROLES, DEMO_USERS } from './demo-seed.js';
import { HttpError } from './http/http-error.js';
import { isOwnedBy, requireAction, requireOwnership, rolePermission } from './permission-check.js';
import type { StoredRole } from './store/state.js';

describe("permission check (the emulator's own, independent of the library)", () => {
  const core = demoCore();
  const token = {
    clientId: 'c',
    grant: 'entity_user' as const,
    entityUserId: null,
    issuedAt: 0,
    expiresAt: 1,
    revoked: false,
  };
  const user = (name: keyof typeof DEMO_USERS): Principal => ({
    kind: 'entity_user',
    clientId: 'c',
    token,
    user: core.state.users.get(DEMO_USERS[name].id)!,
  });
  const partner: Principal = { kind: 'partner', clientId: 'c', token };
  const role = (id: string): StoredRole => core.state.roles.get(id)!;

  it('reads allowed / allowed_for_own / not_allowed from the role; anything unlisted is not_allowed', () => {
    expect(rolePermission(role(DEMO_ROLES.approver.id), 'payable', 'approve')).toBe('allowed');
    expect(rolePermission(role(DEMO_ROLES.apClerk.id), 'payable', 'read')).toBe('allowed_for_own');
    expect(rolePermission(role(DEMO_ROLES.apClerk.id), 'payable', 'approve')).toBe('not_allowed');
    expect(rolePermission(role(DEMO_ROLES.apClerk.id), 'payable', 'cancel')).toBe('not_allowed');
    expect(rolePermission(role(DEMO_ROLES.apClerk.id), 'approval_request', 'read')).toBe('not_allowed');
    expect(rolePermission(role(DEMO_ROLES.apClerk.id), 'receivable', 'read')).toBe('allowed_for_own');
    expect(rolePermission(undefined, 'payable', 'read')).toBe('not_allowed');
  });

  it('the admin role allows every action of the matrix', () => {
    const admin = role(DEMO_ROLES.admin.id);
    expect(rolePermission(admin, 'payable', 'create_from_mail')).toBe('allowed');
    expect(rolePermission(admin, 'tag', 'delete')).toBe('allowed');
    expect(rolePermission(admin, 'entity', 'delete')).toBe('not_allowed'); // not an action of the matrix
  });

  it("requireAction: scope all / own, or 403 with Monite's message; the partner may do everything", () => {
    expect(requireAction(core, user('bob'), 'payable', 'approve')).toBe('all');
    expect(requireAction(core, user('carol'), 'payable', 'update')).toBe('own');
    expect(requireAction(core, partner, 'payable', 'pay')).toBe('all');
    expect(requireAction(core, partner, 'anything', 'at_all')).toBe('all');
    for (const [who, action] of [
      ['carol', 'approve'],
      ['nora', 'read'],
      ['frank', 'create'],
    ] as const) {
      let caught: unknown;
      try {
        requireAction(core, user(who), 'payable', action);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(HttpError);
      expect(caught).toMatchObject({
        status: 403,
        body: { error: { message: `Action ${action} for payable not allowed` } },
      });
    }
  });

  it('ownership: only the creator; a null owner belongs to nobody; the partner owns nothing', () => {
    const carol = user('carol');
    expect(isOwnedBy(carol, DEMO_USERS.carol.id)).toBe(true);
    expect(isOwnedBy(carol, DEMO_USERS.frank.id)).toBe(false);
    expect(isOwnedBy(carol, null)).toBe(false);
    expect(isOwnedBy(partner, null)).toBe(false);
    expect(() => requireOwnership('own', carol, DEMO_USERS.carol.id, 'payable', 'read')).not.toThrow();
    expect(() => requireOwnership('own', carol, DEMO_USERS.frank.id, 'payable', 'read')).toThrow(HttpError);
    expect(() => requireOwnership('own', carol, null, 'payable', 'read')).toThrow(HttpError);
    expect(() => requireOwnership('all', carol, null, 'payable', 'read')).not.toThrow();
  });
});
