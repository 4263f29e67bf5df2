import { moniteAsPartner, readMoniteCaller } from '../monite-identity.js';
import type { MoniteRole } from '../monite-role.js';
import { compileRole } from './compiled-role.js';
import { MONITE_VERDICTS, decideMoniteAccess, entityHeaderMatches } from './decide-monite-access.js';
import { toRouteRequirement } from './monite-route-policy.js';

const ENTITY = 'e0000000-0000-4000-8000-0000000000aa';
const OTHER_ENTITY = 'e0000000-0000-4000-8000-0000000000bb';
const ME = 'a0000000-0000-4000-8000-0000000000cc';
const SOMEONE = 'a0000000-0000-4000-8000-0000000000dd';

const role = (permissions: Record<string, 'allowed' | 'allowed_for_own' | 'not_allowed'>, status?: string) =>
  compileRole({
    status,
    permissions: {
      objects: [
        {
          object_type: 'payable',
          actions: Object.entries(permissions).map(([action_name, permission]) => ({
            action_name,
            permission,
          })),
        },
      ],
    },
  } as MoniteRole);

const read = toRouteRequirement({ objectType: 'payable', action: 'read' });
const approveOwn = toRouteRequirement({ objectType: 'payable', action: 'approve', owner: () => undefined });
const me = readMoniteCaller({ entityUserId: ME, entityId: ENTITY });
const partner = readMoniteCaller(moniteAsPartner(ENTITY));
const ROLE = role({ read: 'allowed', approve: 'allowed_for_own', pay: 'not_allowed' });

describe('decideMoniteAccess: the decision table', () => {
  it.each([
    ['no @MonitePermission and not public', undefined, me, undefined, ROLE, 'no_permission_metadata', 403],
    ['nobody', read, readMoniteCaller(undefined), undefined, ROLE, 'no_user', 401],
    [
      'a caller whose id is not a UUID',
      read,
      readMoniteCaller({ entityUserId: 'bob', entityId: ENTITY }),
      undefined,
      ROLE,
      'unknown_entity_user',
      401,
    ],
    ['x-monite-entity-id naming another entity', read, me, OTHER_ENTITY, ROLE, 'entity_mismatch', 403],
    [
      'a role that is not active',
      read,
      me,
      undefined,
      role({ read: 'allowed' }, 'deleted'),
      'role_inactive',
      403,
    ],
    [
      'not_allowed',
      toRouteRequirement({ objectType: 'payable', action: 'pay' }),
      me,
      undefined,
      ROLE,
      'not_allowed',
      403,
    ],
    [
      'no entry',
      toRouteRequirement({ objectType: 'payable', action: 'delete' }),
      me,
      undefined,
      ROLE,
      'not_allowed',
      403,
    ],
    [
      'a pair the matrix lacks',
      toRouteRequirement({ objectType: 'hologram' as never, action: 'read' }),
      me,
      undefined,
      ROLE,
      'not_allowed',
      403,
    ],
    ['allowed_for_own, the partner', approveOwn, partner, undefined, ROLE, 'no_entity_user', 403],
  ] as const)(
    '%s: denied with its reason',
    (_name, requirement, caller, header, compiled, reason, status) => {
      expect(decideMoniteAccess(requirement, caller, header, compiled)).toEqual({
        outcome: 'deny',
        reason,
        status,
      });
    },
  );

  it('allowed: pass with scope all, for an entity user or the partner', () => {
    expect(decideMoniteAccess(read, me, undefined, ROLE)).toBe(MONITE_VERDICTS.allowed);
    expect(decideMoniteAccess(read, partner, ENTITY, ROLE)).toBe(MONITE_VERDICTS.allowed);
  });

  it('allowed_for_own without an owner resolver: pass with scope own (the handler applies it)', () => {
    const verdict = decideMoniteAccess(
      toRouteRequirement({ objectType: 'payable', action: 'approve' }),
      me,
      undefined,
      ROLE,
    );
    expect(verdict).toEqual({
      outcome: 'allow',
      reason: 'own_scope',
      permission: 'allowed_for_own',
      scope: 'own',
    });
  });

  it('allowed_for_own with an owner resolver: the owner is needed, then decides', () => {
    expect(decideMoniteAccess(approveOwn, me, undefined, ROLE)).toBe(MONITE_VERDICTS.ownerNeeded);
    const withOwner = (owner: unknown) => decideMoniteAccess(approveOwn, me, undefined, ROLE, { owner });
    expect(withOwner(ME)).toBe(MONITE_VERDICTS.owner);
    expect(withOwner(ME.toUpperCase())).toBe(MONITE_VERDICTS.owner);
    expect(withOwner(SOMEONE)).toBe(MONITE_VERDICTS.notOwner);
    for (const unknown of [undefined, null, '', 'me', 42, [ME], ` ${ME}`]) {
      expect(withOwner(unknown)).toBe(MONITE_VERDICTS.ownerUnknown);
    }
  });

  it('checks in table order: metadata, caller, entity, role status, permission, owner', () => {
    const inactive = role({ read: 'allowed' }, 'deleted');
    const nobody = readMoniteCaller(null);
    expect(decideMoniteAccess(undefined, nobody, OTHER_ENTITY, inactive).outcome).toBe('deny');
    expect(decideMoniteAccess(undefined, nobody, OTHER_ENTITY, inactive)).toBe(
      MONITE_VERDICTS.noPermissionMetadata,
    );
    expect(decideMoniteAccess(read, nobody, OTHER_ENTITY, inactive)).toBe(MONITE_VERDICTS.noUser);
    expect(decideMoniteAccess(read, me, OTHER_ENTITY, inactive)).toBe(MONITE_VERDICTS.entityMismatch);
    expect(decideMoniteAccess(read, me, ENTITY, inactive)).toBe(MONITE_VERDICTS.roleInactive);
  });

  it('answers with shared constants: deciding allocates nothing', () => {
    expect(decideMoniteAccess(read, me, undefined, ROLE)).toBe(decideMoniteAccess(read, me, undefined, ROLE));
    expect(Object.isFrozen(MONITE_VERDICTS.notAllowed)).toBe(true);
  });
});

describe('entityHeaderMatches (44)', () => {
  it.each([
    ['absent', undefined, true],
    ['the same id', ENTITY, true],
    ['the same id in upper case', ENTITY.toUpperCase(), true],
    ['repeated, every value the caller’s (Node joins them)', `${ENTITY}, ${ENTITY.toUpperCase()}`, true],
    ['a list of the caller’s entity', [ENTITY, ENTITY.toUpperCase()], true],
    ['another entity', OTHER_ENTITY, false],
    ['repeated with another entity', `${ENTITY}, ${OTHER_ENTITY}`, false],
    ['a list with another entity', [ENTITY, OTHER_ENTITY], false],
    ['a list with an empty value', [ENTITY, ''], false],
    ['an empty list', [], false],
    ['empty', '', false],
    ['a trailing comma', `${ENTITY},`, false],
    ['not a string', 42, false],
  ])('%s: %s', (_name, header, expected) => {
    expect(entityHeaderMatches(header, ENTITY)).toBe(expected);
  });
});
