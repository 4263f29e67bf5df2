import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DEMO_CLIENT, startMoniteEmulator, type MoniteEmulator } from 'monite-emulator';
import type { DemoSettings, MoniteEnvironmentName } from '../config/demo-env.js';

/** Injection token of the {@link MoniteConnection}. */
export const MONITE_CONNECTION = Symbol('MONITE_CONNECTION');

interface ConnectionParts {
  clientId: string;
  clientSecret: string;
  environment: MoniteEnvironmentName;
  apiUrl?: string;
  emulator?: MoniteEmulator;
  ownsEmulator: boolean;
}

/**
 * Which Monite the demo talks to: the real one (credentials from the environment) or the local
 * emulator with its demo seed, started in this process when no credentials are set.
 */
export class MoniteConnection implements OnApplicationShutdown {
  private readonly logger = new Logger('MoniteConnection');
  readonly clientId: string;
  /** Non-enumerable (set in the constructor): absent from `JSON.stringify` and `util.inspect`. */
  declare readonly clientSecret: string;
  readonly environment: MoniteEnvironmentName;
  /** Overrides `environment` (the emulator, or a custom Monite URL). */
  readonly apiUrl?: string;
  /** The emulator, when the demo runs against one in this process. */
  readonly emulator?: MoniteEmulator;
  private readonly ownsEmulator: boolean;

  private constructor(parts: ConnectionParts) {
    this.clientId = parts.clientId;
    this.environment = parts.environment;
    this.apiUrl = parts.apiUrl;
    this.emulator = parts.emulator;
    this.ownsEmulator = parts.ownsEmulator;
    Object.defineProperty(this, 'clientSecret', { value: parts.clientSecret, enumerable: false });
  }

  /** True when the demo runs against the emulator's demo seed (its users can log in by name). */
  get usesDemoSeed(): boolean {
    return this.emulator !== undefined;
  }

  /** Connects to the configured Monite, or to `emulator`, or starts an emulator with the demo seed. */
  static async open(settings: DemoSettings, emulator?: MoniteEmulator): Promise<MoniteConnection> {
    const { monite } = settings;
    if (monite !== undefined) {
      return new MoniteConnection({
        clientId: monite.clientId,
        clientSecret: monite.clientSecret,
        environment: monite.environment,
        apiUrl: monite.apiUrl,
        ownsEmulator: false,
      });
    }
    const running = emulator ?? (await startMoniteEmulator({ port: settings.emulatorPort }));
    return new MoniteConnection({
      clientId: DEMO_CLIENT.clientId,
      clientSecret: DEMO_CLIENT.clientSecret,
      environment: 'sandbox',
      apiUrl: running.url,
      emulator: running,
      ownsEmulator: emulator === undefined,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.ownsEmulator && this.emulator) {
      await this.emulator.close();
      this.logger.log('Stopped the in-process Monite emulator');
    }
  }
}
