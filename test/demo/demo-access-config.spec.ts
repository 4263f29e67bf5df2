/*
 * The variables that decide who may reach the demo and how (login by id, public origin, allowed
 * hosts, login limit) are validated like every other: each bad one is named, its value never quoted.
 */
import { inspect } from 'node:util';
import { DemoConfigError, parseDemoEnv } from '../../src/config/demo-env.js';

const CANARY = 'canary-7a1c-never-print-me';

function configError(env: Record<string, string>): DemoConfigError {
  try {
    parseDemoEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(DemoConfigError);
    expect([(error as Error).message, JSON.stringify(error), inspect(error)].join('\n')).not.toContain(
      CANARY,
    );
    return error as DemoConfigError;
  }
  throw new Error('expected a configuration error');
}

describe('demo access configuration', () => {
  it('each bad variable is named, its value never quoted', () => {
    const error = configError({
      DEMO_ALLOW_ID_LOGIN: CANARY,
      DEMO_PUBLIC_ORIGIN: `https://ap.example.com/${CANARY}`,
      DEMO_ALLOWED_HOSTS: `demo.lan,${CANARY}:80`,
      DEMO_LOGIN_LIMIT: '0',
      DEMO_LOGIN_WINDOW_SECONDS: CANARY,
      HOST: `${CANARY}/x`,
    });
    for (const name of [
      'DEMO_ALLOW_ID_LOGIN must be true or false',
      'DEMO_PUBLIC_ORIGIN must be an http(s) origin without a path',
      'DEMO_ALLOWED_HOSTS must be a comma-separated list of host names or IP addresses, without ports',
      'DEMO_LOGIN_LIMIT must be a whole number from 1 to 100000',
      'DEMO_LOGIN_WINDOW_SECONDS must be a whole number from 1 to 86400',
      'HOST must be a host name or address',
    ]) {
      expect(error.message).toContain(name);
    }
    for (const origin of [
      'ftp://ap.example.com',
      'https://user:pw@ap.example.com',
      'https://ap.example.com?x',
      'ap.example.com',
    ]) {
      expect(configError({ DEMO_PUBLIC_ORIGIN: origin }).message).toContain('DEMO_PUBLIC_ORIGIN');
    }
    expect(
      parseDemoEnv({ DEMO_ALLOW_ID_LOGIN: 'true', DEMO_ALLOWED_HOSTS: ' Demo.LAN , ::2 ' }),
    ).toMatchObject({
      allowIdLogin: true,
      allowedHosts: ['demo.lan', '[::2]'],
    });
    expect(parseDemoEnv({ DEMO_PUBLIC_ORIGIN: 'https://AP.example.com/' }).publicOrigin).toBe(
      'https://ap.example.com',
    );
  });
});
