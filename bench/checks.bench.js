/*
 * Permission checks: the bench role in our compiled form, in CASL, in accesscontrol and as a plain
 * nested Map, each answering the same questions in the same process.
 *
 * Every contender does what an app would do per request once the route is known: ours reads the
 * pair id the guard computed for the route at startup (`permissionPairId`, once per route); the
 * others look the pair up by its names. Own-object checks compare the object's creator with the
 * caller (ours and the map by hand, as the guard's owner step does; CASL through its condition;
 * accesscontrol through its enforced `own` possession).
 */
import { createMongoAbility, subject } from '@casl/ability';
import { AccessControl } from 'accesscontrol';
import { compileRole, parseMoniteRole, permissionPairId } from 'nestjs-monite-auth';
import {
  BENCH_ROLE,
  CREATOR_FIELD,
  ME,
  SOMEONE_ELSE,
  acResource,
  accessControlGrants,
  caslRulesFor,
  nestedMapOf,
  pairsGranted,
} from './lib/bench-role.js';
import { compareThroughput } from './lib/measure.js';

export const CHECK_CASES = ['allowed', 'denied', 'ownMine', 'ownOther', 'compile'];
export const CHECKERS = ['ours', 'casl', 'accesscontrol', 'map'];

/** The questions of one case: pairs plus, for own cases, an object created by `creator`. */
function questions(grant, creator) {
  return pairsGranted(grant).map(({ objectType, action }) => {
    const object = creator === undefined ? undefined : { id: `${objectType}-1`, [CREATOR_FIELD]: creator };
    return {
      objectType,
      action,
      pairId: permissionPairId(objectType, action),
      object,
      caslSubject: object === undefined ? undefined : subject(objectType, { ...object }),
      acResource: acResource(objectType),
      acContext: object === undefined ? undefined : { user: { id: ME }, [acResource(objectType)]: object },
    };
  });
}

/*
 * Each contender's loop is written out on its own: a shared loop helper calling `check(question)`
 * would make that call site megamorphic across contenders and slow the fastest ones most.
 */

/** Type-level checks (allowed, denied): n questions cycled over the list, granted ones counted. */
function typeChecks(list) {
  const role = compileRole(BENCH_ROLE);
  const map = nestedMapOf(BENCH_ROLE);
  const ability = createMongoAbility(caslRulesFor(ME));
  const ac = new AccessControl(accessControlGrants());
  const last = list.length - 1;
  return {
    ours(n) {
      let granted = 0;
      for (let i = 0, j = 0; i < n; i++, j = j === last ? 0 : j + 1) {
        if (role.permissionAt(list[j].pairId) === 'allowed') granted++;
      }
      return granted;
    },
    casl(n) {
      let granted = 0;
      for (let i = 0, j = 0; i < n; i++, j = j === last ? 0 : j + 1) {
        if (ability.can(list[j].action, list[j].objectType)) granted++;
      }
      return granted;
    },
    accesscontrol(n) {
      let granted = 0;
      for (let i = 0, j = 0; i < n; i++, j = j === last ? 0 : j + 1) {
        if (ac.can('bench').do(list[j].action, list[j].acResource).granted) granted++;
      }
      return granted;
    },
    map(n) {
      let granted = 0;
      for (let i = 0, j = 0; i < n; i++, j = j === last ? 0 : j + 1) {
        if (map.get(list[j].objectType)?.get(list[j].action) === 'allowed') granted++;
      }
      return granted;
    },
  };
}

/** Own-object checks: allowed outright, or allowed_for_own and the object's creator is the caller. */
function ownChecks(list) {
  const role = compileRole(BENCH_ROLE);
  const map = nestedMapOf(BENCH_ROLE);
  const ability = createMongoAbility(caslRulesFor(ME));
  const ac = new AccessControl(accessControlGrants(), { policy: { ownerField: CREATOR_FIELD } });
  const last = list.length - 1;
  return {
    ours(n) {
      let granted = 0;
      for (let i = 0, j = 0; i < n; i++, j = j === last ? 0 : j + 1) {
        const permission = role.permissionAt(list[j].pairId);
        if (
          permission === 'allowed' ||
          (permission === 'allowed_for_own' && list[j].object[CREATOR_FIELD] === ME)
        ) {
          granted++;
        }
      }
      return granted;
    },
    casl(n) {
      let granted = 0;
      for (let i = 0, j = 0; i < n; i++, j = j === last ? 0 : j + 1) {
        if (ability.can(list[j].action, list[j].caslSubject)) granted++;
      }
      return granted;
    },
    accesscontrol(n) {
      let granted = 0;
      for (let i = 0, j = 0; i < n; i++, j = j === last ? 0 : j + 1) {
        const q = list[j];
        if (ac.can('bench', q.acContext).do(`${q.action}:own`, q.acResource).granted) granted++;
      }
      return granted;
    },
    map(n) {
      let granted = 0;
      for (let i = 0, j = 0; i < n; i++, j = j === last ? 0 : j + 1) {
        const permission = map.get(list[j].objectType)?.get(list[j].action);
        if (
          permission === 'allowed' ||
          (permission === 'allowed_for_own' && list[j].object[CREATOR_FIELD] === ME)
        ) {
          granted++;
        }
      }
      return granted;
    },
  };
}

/** Building each form from its input (ours and the map from the wire role, the peers from their rules). */
function compilers() {
  const rules = caslRulesFor(ME);
  const grants = accessControlGrants();
  return {
    ours(n) {
      let built = 0;
      for (let i = 0; i < n; i++) if (compileRole(BENCH_ROLE).permissionAt(0) !== undefined) built++;
      return built;
    },
    casl(n) {
      let built = 0;
      for (let i = 0; i < n; i++) if (createMongoAbility(rules).rules.length > 0) built++;
      return built;
    },
    accesscontrol(n) {
      let built = 0;
      for (let i = 0; i < n; i++) if (new AccessControl(grants).hasRole('bench')) built++;
      return built;
    },
    map(n) {
      let built = 0;
      for (let i = 0; i < n; i++) if (nestedMapOf(BENCH_ROLE).size > 0) built++;
      return built;
    },
  };
}

/** Extra figures for the human table only: by-name lookups and validation before compiling. */
function extras({ samples, sampleMs }) {
  const role = compileRole(BENCH_ROLE);
  const allowed = questions('allowed');
  const byName = compareThroughput(
    {
      oursByName: (n) => {
        let granted = 0;
        for (let i = 0, j = 0; i < n; i++) {
          if (role.permissionFor(allowed[j].objectType, allowed[j].action) === 'allowed') granted++;
          if (++j === allowed.length) j = 0;
        }
        return granted;
      },
      oursParseAndCompile: (n) => {
        let total = 0;
        for (let i = 0; i < n; i++) total += compileRole(parseMoniteRole(BENCH_ROLE)).permissionAt(0) ? 1 : 0;
        return total;
      },
    },
    { samples, sampleMs },
  );
  return byName;
}

/** Every case for every contender: checks[checker][case] = { opsPerSec, min, max }. */
export function runCheckBenchmarks({ samples, sampleMs }) {
  const cases = {
    allowed: [typeChecks(questions('allowed')), (n) => n],
    denied: [typeChecks(questions('denied')), () => 0],
    ownMine: [ownChecks(questions('allowed_for_own', ME)), (n) => n],
    ownOther: [ownChecks(questions('allowed_for_own', SOMEONE_ELSE)), () => 0],
    compile: [compilers(), (n) => n],
  };
  const checks = Object.fromEntries(CHECKERS.map((checker) => [checker, {}]));
  for (const [name, [contenders, expected]] of Object.entries(cases)) {
    const results = compareThroughput(contenders, { samples, sampleMs, expected });
    for (const checker of CHECKERS) checks[checker][name] = results[checker];
  }
  return { checks, extras: extras({ samples, sampleMs }) };
}
