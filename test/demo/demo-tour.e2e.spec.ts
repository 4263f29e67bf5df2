/*
 * The curl lines `npm start` prints (and the README's tour repeats), run as printed in a shell
 * against the demo on Express and Fastify. Only the address differs: the test's own port.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEMO_PAYABLES, DEMO_USERS } from 'monite-emulator';
import { summarizeDemoUsers, type DemoSeedView } from '../../src/auth/demo-directory.js';
import { startBanner, tourSteps } from '../../src/tour.js';
import { ADAPTERS, startDemo, type RunningDemo } from './demo-test-kit.js';

const run = promisify(execFile);

/** The demo seed as the demo sees it when it runs on the emulator. */
const seed: DemoSeedView = {
  users: summarizeDemoUsers(DEMO_USERS),
  tourPayables: { carolNew: DEMO_PAYABLES.carolNew.id, frankNew: DEMO_PAYABLES.frankNew.id },
};

/** Runs one printed command in a shell and parses the JSON it prints. */
async function shell(command: string): Promise<Record<string, unknown>> {
  const { stdout } = await run('/bin/sh', ['-c', command], { timeout: 15_000 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

it("the README's tour shows exactly the lines `npm start` prints on its default port", () => {
  const readme = readFileSync(join(process.cwd(), 'README.md'), 'utf8');
  for (const step of tourSteps('http://127.0.0.1:3000', seed)) {
    expect(readme).toContain(`# ${step.title}\n${step.command}\n`);
  }
});

describe.each(ADAPTERS)('the printed tour (%s)', (adapter) => {
  let demo: RunningDemo;
  let jarDir: string;

  beforeAll(async () => {
    demo = await startDemo(adapter);
    jarDir = await mkdtemp(join(tmpdir(), 'monite-demo-tour-'));
  });
  afterAll(async () => {
    await demo?.close();
    if (jarDir) await rm(jarDir, { recursive: true, force: true });
  });

  it('the banner prints exactly these commands, with the /tmp cookie jars', () => {
    const banner = startBanner({
      baseUrl: demo.baseUrl,
      moniteUrl: demo.emulator.url,
      demoSeed: seed,
      securityModel: 'monite-managed',
    });
    for (const step of tourSteps(demo.baseUrl, seed)) expect(banner).toContain(`  ${step.command}\n`);
    expect(banner).toContain('carol  AP clerk');
    expect(banner).not.toContain('demo-secret-not-for-production');
  });

  it('runs every step as printed: log in, allowed, denied, own only, log out', async () => {
    const [loginBob, loginCarol, allowed, denied, ownOnly, logout] = tourSteps(demo.baseUrl, seed, jarDir);

    expect(await shell(loginBob.command)).toMatchObject({ user: { entityUserId: DEMO_USERS.bob.id } });
    expect(await shell(loginCarol.command)).toMatchObject({ user: { entityUserId: DEMO_USERS.carol.id } });

    expect(await shell(allowed.command)).toMatchObject({
      id: DEMO_PAYABLES.carolNew.id,
      status: 'waiting_to_be_paid',
    });

    expect(await shell(denied.command)).toMatchObject({ statusCode: 403, permission: 'payable.approve' });
    expect(demo.emulator.getPayable(DEMO_PAYABLES.frankNew.id)).toMatchObject({ status: 'new' });

    const list = (await shell(ownOnly.command)) as { data: { was_created_by_user_id: string }[] };
    expect(list.data).toHaveLength(2);
    expect(list.data.every((p) => p.was_created_by_user_id === DEMO_USERS.carol.id)).toBe(true);

    expect(await shell(logout.command)).toEqual({ loggedOut: true, moniteTokenRevoked: true });
    // The ended session no longer works.
    expect(await shell(ownOnly.command)).toMatchObject({ statusCode: 401 });
  });
});
