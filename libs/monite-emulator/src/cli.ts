import { parseArgs } from 'node:util';
import { DEMO_CLIENT, DEMO_ENTITIES, DEMO_USERS } from './demo-seed.js';
import { OWNED_RESOURCES } from './resources/owned-resources.js';
import { startMoniteEmulator } from './emulator.js';
import type { MoniteEmulator, MoniteEmulatorOptions, MoniteEmulatorSeed } from './emulator.types.js';

const DEFAULT_PORT = 4010;
const DEFAULT_RATE_LIMIT = 30;

const HELP = `monite-emulator: a local HTTP server that behaves like Monite's API for auth, roles,
entity users, payables and every object type a role can own. Listens on 127.0.0.1 only.

Usage:
  monite-emulator [--port 4010] [--seed file.json] [--token-lifetime 1800] [--rate-limit 30|off]

Options:
  --port <n>             Port to listen on (0 picks a free one). Default ${DEFAULT_PORT}.
  --seed <file>          Seed JSON file (clients, entities, roles, entityUsers, payables, ...).
                         Default: the demo seed, whose credentials and users are printed.
  --token-lifetime <s>   expires_in of issued tokens, in seconds. Default 1800.
  --rate-limit <n|off>   Requests per second per API client before 429. Default ${DEFAULT_RATE_LIMIT}.
  --quiet                No request log lines.
  -h, --help             This help.
`;

/**
 * The `monite-emulator` command. Never rejects: problems are printed to stderr and set a
 * non-zero exit code. Resolves with the running emulator (undefined after --help or an error).
 */
export async function main(argv: string[]): Promise<MoniteEmulator | undefined> {
  let options: MoniteEmulatorOptions;
  let quiet: boolean;
  try {
    const parsed = parseCliArgs(argv);
    if (parsed === 'help') {
      process.stdout.write(HELP);
      return undefined;
    }
    ({ options, quiet } = parsed);
  } catch (error) {
    process.stderr.write(
      `monite-emulator: ${(error as Error).message}\nRun monite-emulator --help for usage.\n`,
    );
    process.exitCode = 2;
    return undefined;
  }

  let emulator: MoniteEmulator;
  try {
    emulator = await startMoniteEmulator({
      ...options,
      log: quiet ? undefined : (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'EADDRINUSE' ? `port ${options.port} is already in use` : (error as Error).message;
    process.stderr.write(`monite-emulator: cannot start: ${reason}\n`);
    process.exitCode = 1;
    return undefined;
  }

  process.stdout.write(banner(emulator, options));
  const stop = (signal: NodeJS.Signals): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    process.stdout.write(`Received ${signal}, stopping the Monite emulator.\n`);
    void emulator.close().then(() => {
      process.exitCode = 0;
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return emulator;
}

function parseCliArgs(argv: string[]): { options: MoniteEmulatorOptions; quiet: boolean } | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      seed: { type: 'string' },
      'token-lifetime': { type: 'string' },
      'rate-limit': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const options: MoniteEmulatorOptions = {
    port: values.port === undefined ? DEFAULT_PORT : integer('--port', values.port, 0, 65535),
    rateLimitPerSecond: DEFAULT_RATE_LIMIT,
  };
  if (values.seed !== undefined) options.seed = values.seed;
  if (values['token-lifetime'] !== undefined) {
    options.tokenLifetimeSeconds = integer('--token-lifetime', values['token-lifetime'], 1, 10 * 365 * 86400);
  }
  const rate = values['rate-limit'];
  if (rate !== undefined)
    options.rateLimitPerSecond = rate === 'off' ? false : integer('--rate-limit', rate, 1, 1_000_000);
  return { options, quiet: values.quiet };
}

function integer(flag: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new Error(`${flag} expects an integer from ${min} to ${max}`);
  }
  return Number(value);
}

/** What the CLI prints at start. Secrets only for the demo seed, whose secret is public by design. */
function banner(emulator: MoniteEmulator, options: MoniteEmulatorOptions): string {
  const rate =
    options.rateLimitPerSecond === false ? 'off' : `${options.rateLimitPerSecond} requests/s per client`;
  const lines = [
    `Monite emulator listening on ${emulator.url}`,
    `OAuth2 token endpoint: ${emulator.oauth2TokenUrl}`,
    `Token lifetime: ${options.tokenLifetimeSeconds ?? 1800} s; rate limit: ${rate}`,
  ];
  if (options.seed === undefined) {
    const entityName = new Map(Object.values(DEMO_ENTITIES).map((e) => [e.id, e.name]));
    lines.push(
      '',
      'Demo seed (not for production):',
      `  client_id      ${DEMO_CLIENT.clientId}`,
      `  client_secret  ${DEMO_CLIENT.clientSecret}`,
      '  entities:',
      ...Object.values(DEMO_ENTITIES).map((e) => `    ${e.id}  ${e.name}`),
      '  entity users:',
      ...Object.entries(DEMO_USERS).map(
        ([key, u]) =>
          `    ${key.padEnd(6)} ${u.id}  ${(u.roleName ?? '(no role)').padEnd(20)} ${entityName.get(u.entityId)}`,
      ),
    );
  } else {
    const seed = emulator.seed;
    lines.push(
      `Seed: ${seed.clients.length} client(s), ${seed.entities.length} entit(ies), ${seed.roles.length} role(s), ` +
        `${seed.entityUsers.length} entity user(s), ${seed.payables?.length ?? 0} payable(s), ` +
        `${ownedObjectCount(seed)} other owned object(s)`,
    );
  }
  lines.push('', 'Every /v1 request needs the x-monite-version header (e.g. 2024-05-25). Ctrl+C stops.', '');
  return lines.join('\n');
}

function ownedObjectCount(seed: MoniteEmulatorSeed): number {
  return OWNED_RESOURCES.reduce((sum, spec) => sum + (seed[spec.seedKey]?.length ?? 0), 0);
}
