/*
 * The realistic role every permission-check contender is built from: over the whole permission
 * matrix about 60% of the pairs `allowed`, 20% `allowed_for_own`, 20% denied (half listed as
 * `not_allowed`, half simply absent, as Monite roles do both). Deterministic, so runs compare.
 */
import { MONITE_PERMISSION_MATRIX } from 'nestjs-monite-auth';

/** Where the bench objects name their creator (Monite's field for payables). */
export const CREATOR_FIELD = 'was_created_by_user_id';
export const ME = 'a0000000-0000-4000-8000-000000000001';
export const SOMEONE_ELSE = 'a0000000-0000-4000-8000-000000000002';

const PATTERN = ['allowed', 'allowed', 'allowed', 'allowed_for_own', 'denied'];
/** The routes of the Nest benchmarks need these three, whatever the pattern gives them (it gives them so). */
const FIXED = { 'payable.read': 'allowed', 'payable.approve': 'allowed_for_own', 'payable.pay': 'denied' };

/** Every matrix pair with what the bench role grants on it. */
export const BENCH_PAIRS = Object.entries(MONITE_PERMISSION_MATRIX)
  .flatMap(([objectType, actions]) => actions.map((action) => ({ objectType, action })))
  .map((pair, index) => {
    const grant = FIXED[`${pair.objectType}.${pair.action}`] ?? PATTERN[index % PATTERN.length];
    // Denied pairs alternate between an explicit not_allowed and no entry at all.
    return { ...pair, grant, listed: grant !== 'denied' || index % 10 === 4 };
  });

/** The bench role in Monite's wire shape (`GET /entity_users/my_role`). */
export const BENCH_ROLE = {
  id: 'b0000000-0000-4000-8000-000000000001',
  name: 'bench',
  status: 'active',
  permissions: {
    objects: Object.keys(MONITE_PERMISSION_MATRIX).map((objectType) => ({
      object_type: objectType,
      actions: BENCH_PAIRS.filter((pair) => pair.objectType === objectType && pair.listed).map((pair) => ({
        action_name: pair.action,
        permission: pair.grant === 'denied' ? 'not_allowed' : pair.grant,
      })),
    })),
  },
};

/** The pairs of one grant (`allowed`, `allowed_for_own`, `denied`). */
export function pairsGranted(grant) {
  return BENCH_PAIRS.filter((pair) => pair.grant === grant);
}

/** The same role as CASL rules for one user: own is a condition on the creator field. */
export function caslRulesFor(userId) {
  const rules = [];
  for (const { objectType, action, grant } of BENCH_PAIRS) {
    if (grant === 'allowed') rules.push({ action, subject: objectType });
    if (grant === 'allowed_for_own') {
      rules.push({ action, subject: objectType, conditions: { [CREATOR_FIELD]: userId } });
    }
  }
  return rules;
}

/**
 * A resource's name in accesscontrol. Its ownership check reads the record at `context[resource]`
 * after writing its own query fields over the context (`role`, `action`, `resource`...), so the
 * matrix's `role` object type would never be owned there: every name gets one prefix instead.
 */
export const acResource = (objectType) => `monite_${objectType}`;

/** The same role as accesscontrol grants (role `bench`): own is the `own` possession. */
export function accessControlGrants() {
  const grants = [];
  for (const { objectType, action, grant } of BENCH_PAIRS) {
    if (grant === 'denied') continue;
    const possession = grant === 'allowed' ? 'any' : 'own';
    grants.push({
      role: 'bench',
      resource: acResource(objectType),
      action: `${action}:${possession}`,
      attributes: ['*'],
    });
  }
  return grants;
}

/** The hand-written reference: object type -> action -> Monite's permission value, from the wire role. */
export function nestedMapOf(role) {
  const byType = new Map();
  for (const object of role.permissions.objects) {
    const byAction = new Map();
    for (const { action_name, permission } of object.actions) byAction.set(action_name, permission);
    byType.set(object.object_type, byAction);
  }
  return byType;
}
