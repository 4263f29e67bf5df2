import { HttpException, type ExecutionContext } from '@nestjs/common';
import { parseDemoEnv } from '../config/demo-env.js';
import { LoginThrottleGuard } from './login-throttle.guard.js';

/** A login try from `ip`; returns the status it gets (200 let through, 429 refused). */
function tryFrom(guard: LoginThrottleGuard, ip: string): number {
  const response = { header: () => undefined };
  const context = {
    switchToHttp: () => ({ getRequest: () => ({ ip }), getResponse: () => response }),
  } as unknown as ExecutionContext;
  try {
    guard.canActivate(context);
    return 200;
  } catch (error) {
    return (error as HttpException).getStatus();
  }
}

describe('LoginThrottleGuard', () => {
  const newGuard = () => new LoginThrottleGuard(parseDemoEnv({ DEMO_LOGIN_LIMIT: '1' }));

  it('counts an IPv6 client by its /64, whatever the spelling of the address', () => {
    const guard = newGuard();
    expect(tryFrom(guard, '2001:db8:1:2::1')).toBe(200);
    for (const sameNetwork of [
      '2001:db8:1:2:ffff::9',
      '2001:0DB8:0001:0002:0:0:0:7',
      '2001:db8:1:2:3:4:5:6',
    ]) {
      expect([sameNetwork, tryFrom(guard, sameNetwork)]).toEqual([sameNetwork, 429]);
    }
    expect(tryFrom(guard, '2001:db8:1:3::1')).toBe(200);
    expect(tryFrom(guard, '::1')).toBe(200);
    expect(tryFrom(guard, '::2')).toBe(429);
  });

  it('an IPv4 client is the same client over an IPv4-mapped IPv6 socket', () => {
    const guard = newGuard();
    expect(tryFrom(guard, '192.0.2.7')).toBe(200);
    expect(tryFrom(guard, '::ffff:192.0.2.7')).toBe(429);
    expect(tryFrom(guard, '192.0.2.8')).toBe(200);
  });
});
