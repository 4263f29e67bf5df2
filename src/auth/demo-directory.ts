import { DEMO_USERS, type DemoUser } from 'monite-emulator';

/** A demo user as the banner and `GET /` show it. */
export interface DemoUserSummary {
  login: string;
  name: string;
  role: string;
  entityUserId: string;
  entityId: string;
}

/** The emulator's demo users, who can log in by name (only when the demo runs on the emulator). */
export function demoUsers(): DemoUserSummary[] {
  return Object.values(DEMO_USERS).map((user: DemoUser) => ({
    login: user.login,
    name: user.name,
    role: user.roleName ?? '(no role)',
    entityUserId: user.id,
    entityId: user.entityId,
  }));
}

/** A demo user by login name (`carol`), case-insensitive. */
export function findDemoUser(login: string): DemoUserSummary | undefined {
  const wanted = login.trim().toLowerCase();
  return demoUsers().find((user) => user.login === wanted);
}
