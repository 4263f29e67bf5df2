/*
 * Boots the demo application (src/) the way `npm start` does with no .env, but on a test's own
 * emulator and a free loopback port, on Express or Fastify.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DEMO_CLIENT, DEMO_USERS, startMoniteEmulator, type MoniteEmulator } from 'monite-emulator';
import { createDemoApp } from '../../src/create-demo-app.js';

export const ADAPTERS = ['express', 'fastify'] as const;
export type AdapterName = (typeof ADAPTERS)[number];
export type DemoUserName = keyof typeof DEMO_USERS;

export interface RunningDemo {
  app: INestApplication;
  emulator: MoniteEmulator;
  /** `http://127.0.0.1:<port>` of the demo. */
  baseUrl: string;
  http: () => ReturnType<typeof request>;
  /** Logs a demo user in and returns the `Authorization` header of the session. */
  loginAs(user: DemoUserName): Promise<{ authorization: string }>;
  close(): Promise<void>;
}

/**
 * Starts an emulator (demo seed) and the demo on it: `embedded` as `npm start` with no .env (the
 * demo uses the emulator in-process), or `credentials` as with real credentials in .env (the
 * emulator stands in for Monite's sandbox). `env` adds environment variables. Suites log
 * in far more often than a person does, all from 127.0.0.1: the login limit is raised unless
 * `env` sets it (the throttling suite does).
 */
export async function startDemo(
  adapter: AdapterName,
  env: Record<string, string> = {},
  mode: 'embedded' | 'credentials' = 'embedded',
): Promise<RunningDemo> {
  const emulator = await startMoniteEmulator({ port: 0 });
  let app: INestApplication | undefined;
  try {
    app = await createDemoApp({
      adapter,
      env: {
        DEMO_LOGIN_LIMIT: '100000',
        ...(mode === 'credentials' ? credentialsFor(emulator) : {}),
        ...env,
      },
      // Handing the emulator in is what "embedded" means; with credentials the demo only has its URL.
      ...(mode === 'embedded' ? { emulator } : {}),
      logger: false,
    });
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app?.close();
    await emulator.close();
    throw error;
  }
  const started = app;
  const { port } = started.getHttpServer().address() as { port: number };
  const http = () => request(started.getHttpServer());
  return {
    app: started,
    emulator,
    baseUrl: `http://127.0.0.1:${port}`,
    http,
    async loginAs(user) {
      const response = await http().post('/auth/login').send({ user }).expect(200);
      return { authorization: `Bearer ${(response.body as { token: string }).token}` };
    },
    async close() {
      await started.close();
      await emulator.close();
    },
  };
}

/** The environment of a demo with real credentials, pointed at `emulator` standing in for Monite. */
export function credentialsFor(emulator: MoniteEmulator): Record<string, string> {
  return {
    MONITE_CLIENT_ID: DEMO_CLIENT.clientId,
    MONITE_CLIENT_SECRET: DEMO_CLIENT.clientSecret,
    MONITE_API_URL: emulator.url,
  };
}

/** The `Set-Cookie` lines of a response, as one array on both adapters. */
export function setCookies(response: { headers: Record<string, unknown> }): string[] {
  return ([] as string[]).concat((response.headers['set-cookie'] as string | string[] | undefined) ?? []);
}

/** Logs a demo user in and returns the `Cookie` header of the session (what a browser sends back). */
export async function cookieSessionOf(demo: RunningDemo, user: DemoUserName): Promise<{ cookie: string }> {
  const response = await demo.http().post('/auth/login').send({ user }).expect(200);
  const cookie = setCookies(response).find((line) => line.startsWith('demo_session='));
  if (cookie === undefined) throw new Error('the login set no session cookie');
  return { cookie: cookie.split(';')[0] };
}
