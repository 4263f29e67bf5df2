import type { DemoUser } from 'monite-emulator';

/** A demo user as the banner and `GET /` show it. */
export interface DemoUserSummary {
  login: string;
  name: string;
  role: string;
  entityUserId: string;
  entityId: string;
}

/**
 * What the demo shows of the emulator's demo seed: its users (who log in by name) and the two
 * payables the tour approves. Present only when the demo runs on the emulator.
 */
export interface DemoSeedView {
  users: DemoUserSummary[];
  tourPayables: { carolNew: string; frankNew: string };
}

/** The emulator's demo users as the banner and `GET /` list them. */
export function summarizeDemoUsers(users: Readonly<Record<string, DemoUser>>): DemoUserSummary[] {
  return Object.values(users).map((user) => ({
    login: user.login,
    name: user.name,
    role: user.roleName ?? '(no role)',
    entityUserId: user.id,
    entityId: user.entityId,
  }));
}

/** A demo user by login name (`carol`), case-insensitive. */
export function findDemoUser(seed: DemoSeedView, login: string): DemoUserSummary | undefined {
  const wanted = login.trim().toLowerCase();
  return seed.users.find((user) => user.login === wanted);
}
