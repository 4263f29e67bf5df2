import type { DemoSeedView } from './auth/demo-directory.js';

/** One step of the tour: what it shows, and the exact shell command. */
export interface TourStep {
  title: string;
  command: string;
}

/**
 * The curl lines `npm start` prints and the README's tour repeats, for the emulator's demo seed.
 * The e2e tests run these very strings in a shell, so what is printed is what is tested.
 * `jarDir` is where curl keeps each user's session cookie.
 */
export function tourSteps(baseUrl: string, seed: DemoSeedView, jarDir = '/tmp'): TourStep[] {
  const jar = (user: string) => `${jarDir}/${user}.jar`;
  const login = (user: string) =>
    `curl -s -w '\\n' -c ${jar(user)} -H 'content-type: application/json' -d '{"user":"${user}"}' ${baseUrl}/auth/login`;
  return [
    { title: 'Log in as Bob (approver); curl keeps his session cookie in a file', command: login('bob') },
    { title: 'Log in as Carol (AP clerk: her own payables only, no approving)', command: login('carol') },
    {
      title: "Allowed: Bob approves Carol's new payable (Office chairs): 200, status waiting_to_be_paid",
      command: `curl -s -w '\\n' -b ${jar('bob')} -X POST ${baseUrl}/payables/${seed.tourPayables.carolNew}/approve`,
    },
    {
      title: 'Denied: Carol may not approve payables: 403 naming payable.approve, Monite never called',
      command: `curl -s -w '\\n' -b ${jar('carol')} -X POST ${baseUrl}/payables/${seed.tourPayables.frankNew}/approve`,
    },
    {
      title: 'Own only: Carol lists payables and sees only the two she created',
      command: `curl -s -w '\\n' -b ${jar('carol')} ${baseUrl}/payables`,
    },
    {
      title: 'Log out: ends the session and revokes her Monite token',
      command: `curl -s -w '\\n' -b ${jar('carol')} -X POST ${baseUrl}/auth/logout`,
    },
  ];
}

/** What `npm start` prints once the demo listens. */
export function startBanner(options: {
  baseUrl: string;
  moniteUrl: string;
  /** The emulator's demo seed, when the demo runs on it. */
  demoSeed?: DemoSeedView;
  securityModel: string;
  /** `DEMO_ALLOW_ID_LOGIN=true` (only read with real credentials). */
  allowIdLogin?: boolean;
}): string {
  const { baseUrl, demoSeed } = options;
  const lines = [
    '',
    `Demo listening on ${baseUrl}`,
    `API docs: ${baseUrl}/docs`,
    `Monite: ${demoSeed ? `local emulator at ${options.moniteUrl} (demo seed)` : options.moniteUrl}; security model ${options.securityModel}`,
    '',
  ];
  if (!demoSeed && options.allowIdLogin !== true) {
    lines.push(
      'Login is off: with real Monite credentials this demo, which has no passwords, logs nobody in.',
      'To try it on a sandbox anyway, set DEMO_ALLOW_ID_LOGIN=true (unsafe: anyone who reaches the demo',
      'can then act as any entity user of your account).',
      '',
    );
    return lines.join('\n');
  }
  if (!demoSeed) {
    lines.push(
      'DEMO_ALLOW_ID_LOGIN=true: anyone who reaches this demo can act as any entity user of your account.',
      "Log in with: curl -s -c /tmp/me.jar -H 'content-type: application/json' " +
        `-d '{"entityUserId":"<uuid>","entityId":"<uuid>"}' ${baseUrl}/auth/login`,
      '',
    );
    return lines.join('\n');
  }
  const users = demoSeed.users;
  const width = Math.max(...users.map((user) => user.login.length));
  lines.push('Demo users (log in with POST /auth/login {"user": "<name>"}):');
  for (const user of users) {
    lines.push(`  ${user.login.padEnd(width)}  ${user.role.padEnd(20)} ${user.name}`);
  }
  lines.push('', 'Try it (paste into another shell):', '');
  for (const step of tourSteps(baseUrl, demoSeed)) lines.push(`  # ${step.title}`, `  ${step.command}`, '');
  lines.push('Stop with Ctrl+C.', '');
  return lines.join('\n');
}
