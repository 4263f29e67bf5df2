import { EmulatorClock } from './clock.js';
import type { EmulatorCore, EmulatorSettings } from './core.js';
import { DEMO_SEED } from './demo-seed.js';
import type {
  MoniteEmulator,
  MoniteEmulatorFault,
  MoniteEmulatorIssuedToken,
  MoniteEmulatorOptions,
  MoniteEmulatorRequestRecord,
  MoniteEmulatorSeed,
  SeedRole,
} from './emulator.types.js';
import { FaultQueue } from './faults.js';
import { RateLimiter } from './rate-limiter.js';
import { RequestLog } from './request-log.js';
import { Router } from './router.js';
import { buildRoutes } from './routes/index.js';
import { OAUTH2_TOKEN_PATH } from './routes/oauth2.routes.js';
import { loadSeed } from './seed-loader.js';
import { permissionsSchema } from './seed/permissions-schema.js';
import { EmulatorServer } from './server.js';
import { EmulatorState } from './store/state.js';
import { TokenRegistry } from './store/token-registry.js';
import { ownedObjectView } from './resources/owned-objects.js';
import { ownedResource } from './resources/owned-resources.js';
import { payableView } from './store/views.js';

const DEFAULT_TOKEN_LIFETIME_SECONDS = 1800;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * Starts a Monite emulator on loopback and resolves once it listens.
 *
 * @example
 * const monite = await startMoniteEmulator({ port: 0 }); // demo seed
 * // monite.url === 'http://127.0.0.1:<port>/v1'
 * await monite.close();
 */
export async function startMoniteEmulator(options: MoniteEmulatorOptions = {}): Promise<MoniteEmulator> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host) && !/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) {
    throw new Error('monite-emulator listens on loopback only (127.0.0.1, ::1 or localhost)');
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RangeError('port must be an integer 0..65535');
  const tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  assertLifetime(tokenLifetimeSeconds);
  const oauth2SuccessStatus = options.oauth2SuccessStatus ?? 200;
  if (oauth2SuccessStatus !== 200 && oauth2SuccessStatus !== 201)
    throw new RangeError('oauth2SuccessStatus must be 200 or 201');

  const seed = loadSeed(options.seed ?? DEMO_SEED);
  const clock = new EmulatorClock();
  const rateLimit = options.rateLimitPerSecond ?? false;
  const limiter =
    rateLimit === false ? undefined : new RateLimiter(rateLimit, options.rateLimitWindowMs ?? 1000, clock);
  const core: MutableCore = {
    clock,
    tokens: new TokenRegistry(clock),
    settings: { tokenLifetimeSeconds, oauth2SuccessStatus },
    state: new EmulatorState(seed, clock.now()),
  };
  const router = new Router(buildRoutes(core));
  const faults = new FaultQueue();
  const requests = new RequestLog();
  const server = new EmulatorServer({
    core,
    router,
    faults,
    requests,
    rateLimiter: () => limiter,
    log: options.log,
  });
  const boundPort = await server.listen(port, host);
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
  return new RunningEmulator(
    origin,
    seed,
    core,
    router,
    faults,
    requests,
    limiter,
    server,
    tokenLifetimeSeconds,
  );
}

type MutableCore = { -readonly [K in keyof EmulatorCore]: EmulatorCore[K] } & { settings: EmulatorSettings };

class RunningEmulator implements MoniteEmulator {
  readonly url: string;
  readonly oauth2TokenUrl: string;
  private readonly routeKeys: Set<string>;

  constructor(
    origin: string,
    private readonly initialSeed: MoniteEmulatorSeed,
    private readonly core: MutableCore,
    router: Router,
    private readonly faults: FaultQueue,
    private readonly requestLog: RequestLog,
    private readonly limiter: RateLimiter | undefined,
    private readonly server: EmulatorServer,
    private readonly initialLifetime: number,
  ) {
    this.url = `${origin}/v1`;
    this.oauth2TokenUrl = `${origin}${OAUTH2_TOKEN_PATH}`;
    this.routeKeys = new Set(router.keys());
  }

  get seed(): MoniteEmulatorSeed {
    return structuredClone(this.initialSeed);
  }

  count(route?: string): number {
    if (route !== undefined) this.assertRoute(route);
    return this.requestLog.count(route);
  }

  fault(route: string, fault: MoniteEmulatorFault): void {
    this.assertRoute(route);
    this.faults.add(route, fault);
  }

  setTokenLifetime(seconds: number): void {
    assertLifetime(seconds);
    this.core.settings.tokenLifetimeSeconds = seconds;
  }

  advanceClock(ms: number): void {
    this.core.clock.advance(ms);
  }

  reset(): void {
    this.requestLog.clear();
    this.faults.clear();
    this.limiter?.clear();
    this.core.tokens.clear();
    this.core.clock.reset();
    this.core.settings.tokenLifetimeSeconds = this.initialLifetime;
    this.core.state = new EmulatorState(this.initialSeed, this.core.clock.now());
  }

  close(): Promise<void> {
    return this.server.close();
  }

  routes(): string[] {
    return [...this.routeKeys].sort();
  }

  requests(route?: string): MoniteEmulatorRequestRecord[] {
    if (route !== undefined) this.assertRoute(route);
    return this.requestLog.requests(route);
  }

  issuedTokens(): number {
    return this.core.tokens.issued();
  }

  issueToken(options: { entityUserId?: string; clientId?: string } = {}): MoniteEmulatorIssuedToken {
    const clientId = (options.clientId ?? this.initialSeed.clients[0]!.clientId).toLowerCase();
    if (!this.core.state.clients.has(clientId)) throw new Error('issueToken: unknown clientId');
    let entityUserId: string | null = null;
    if (options.entityUserId !== undefined) {
      const user = this.core.state.users.get(options.entityUserId.toLowerCase());
      if (!user) throw new Error(`issueToken: no entity user ${options.entityUserId}`);
      entityUserId = user.id;
    }
    const lifetime = this.core.settings.tokenLifetimeSeconds;
    const grant = entityUserId === null ? 'client_credentials' : 'entity_user';
    const { accessToken } = this.core.tokens.issue({ clientId, grant, entityUserId }, lifetime);
    return { access_token: accessToken, expires_in: lifetime, token_type: 'Bearer' };
  }

  setUserRole(entityUserId: string, roleId: string | null): void {
    const user = this.core.state.users.get(entityUserId.toLowerCase());
    if (!user) throw new Error(`setUserRole: no entity user ${entityUserId}`);
    if (roleId !== null) {
      const role = this.core.state.roles.get(roleId.toLowerCase());
      if (!role) throw new Error(`setUserRole: no role ${roleId}`);
      if (role.entityId !== user.entityId) throw new Error('setUserRole: the role belongs to another entity');
    }
    user.roleId = roleId?.toLowerCase() ?? null;
    user.updated_at = new Date(this.core.clock.now()).toISOString();
  }

  setRolePermissions(roleId: string, permissions: SeedRole['permissions']): void {
    const role = this.core.state.roles.get(roleId.toLowerCase());
    if (!role) throw new Error(`setRolePermissions: no role ${roleId}`);
    const parsed = permissionsSchema.safeParse(permissions);
    if (!parsed.success)
      throw new Error(`setRolePermissions: invalid permissions (${parsed.error.issues[0]?.message})`);
    role.permissions = structuredClone(parsed.data);
    role.updated_at = new Date(this.core.clock.now()).toISOString();
  }

  getPayable(payableId: string): Record<string, unknown> | undefined {
    const payable = this.core.state.payables.get(payableId.toLowerCase());
    return payable ? payableView(payable) : undefined;
  }

  getObject(objectType: string, id: string): Record<string, unknown> | undefined {
    if (objectType === 'payable') return this.getPayable(id);
    const spec = ownedResource(objectType);
    if (!spec) throw new Error(`getObject: the emulator serves no owned object type ${objectType}`);
    const object = this.core.state.ownedObjects(objectType).get(id.toLowerCase());
    return object ? ownedObjectView(spec, object) : undefined;
  }

  private assertRoute(route: string): void {
    if (!this.routeKeys.has(route)) {
      throw new Error(`Unknown route key "${route}"; known keys: ${[...this.routeKeys].sort().join(', ')}`);
    }
  }
}

function assertLifetime(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < 1)
    throw new RangeError('token lifetime must be an integer number of seconds >= 1');
}
