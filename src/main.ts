import 'reflect-metadata';
import { Logger, type INestApplication } from '@nestjs/common';
import { createDemoApp, demoSettingsOf } from './create-demo-app.js';
import { DemoConfigError } from './config/demo-env.js';
import { MONITE_CONNECTION, type MoniteConnection } from './monite/monite-connection.js';
import { canonicalHostName, isWildcardAddress } from './security/host-names.js';
import { startBanner } from './tour.js';

/**
 * `npm start`: validates the configuration (`.env`, then the environment), connects to Monite or
 * starts the emulator in this process, listens, and prints what to try.
 */
async function main(): Promise<void> {
  // Warnings and errors only: the banner below is what a newcomer should read.
  const app = await createDemoApp({ logger: ['fatal', 'error', 'warn'] });
  stopOnSignals(app);
  const settings = demoSettingsOf(app);
  await app.listen(settings.port, settings.host);
  const address = app.getHttpServer().address() as { port: number };
  const connection = app.get<MoniteConnection>(MONITE_CONNECTION);
  process.stdout.write(
    startBanner({
      baseUrl: `http://${printableHost(settings.host)}:${address.port}`,
      moniteUrl: connection.apiUrl ?? `Monite ${connection.environment}`,
      demoSeed: connection.demoSeed,
      securityModel: settings.securityModel,
      allowIdLogin: settings.allowIdLogin,
    }) + '\n',
  );
}

/** The host to print in URLs: listening on every interface, this machine's own name answers. */
function printableHost(host: string): string {
  const name = canonicalHostName(host) ?? host;
  return isWildcardAddress(name) ? '127.0.0.1' : name;
}

/** Ctrl+C or SIGTERM: close the app (and so the in-process emulator), then exit 0. */
function stopOnSignals(app: INestApplication): void {
  const stop = (signal: NodeJS.Signals) => {
    process.stdout.write(`Received ${signal}, stopping the demo.\n`);
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  // A configuration error names the variables (never their values); anything else by its message.
  const message = error instanceof DemoConfigError ? error.message : describe(error);
  new Logger('Demo').error(`Cannot start: ${message}`);
  process.exit(1);
});

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EADDRINUSE'
      ? 'the port is already in use (set PORT to another one)'
      : `${error.name}: ${error.message}`;
  }
  return String(error);
}
