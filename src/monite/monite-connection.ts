import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { MoniteEmulator } from 'monite-emulator';
import { summarizeDemoUsers, type DemoSeedView } from '../auth/demo-directory.js';
import type { DemoSettings, MoniteEnvironmentName } from '../config/demo-env.js';

/** Injection token of the {@link MoniteConnection}. */
export const MONITE_CONNECTION = Symbol('MONITE_CONNECTION');

interface ConnectionParts {
  clientId: string;
  clientSecret: string;
  environment: MoniteEnvironmentName;
  apiUrl?: string;
  emulator?: MoniteEmulator;
  demoSeed?: DemoSeedView;
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
  /** The emulator's demo users and tour payables, when the demo runs on its demo seed. */
  readonly demoSeed?: DemoSeedView;
  private readonly ownsEmulator: boolean;

  private constructor(parts: ConnectionParts) {
    this.clientId = parts.clientId;
    this.environment = parts.environment;
    this.apiUrl = parts.apiUrl;
    this.emulator = parts.emulator;
    this.demoSeed = parts.demoSeed;
    this.ownsEmulator = parts.ownsEmulator;
    Object.defineProperty(this, 'clientSecret', { value: parts.clientSecret, enumerable: false });
  }

  /** True when the demo runs against the emulator's demo seed (its users can log in by name). */
  get usesDemoSeed(): boolean {
    return this.demoSeed !== undefined;
  }

  /**
   * Connects to the configured Monite, or to `emulator`, or starts an emulator with the demo seed.
   * The emulator package is loaded only then: with real credentials the demo loads none of it.
   */
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
    const seed = await import('monite-emulator');
    const running = emulator ?? (await seed.startMoniteEmulator({ port: settings.emulatorPort }));
    return new MoniteConnection({
      clientId: seed.DEMO_CLIENT.clientId,
      clientSecret: seed.DEMO_CLIENT.clientSecret,
      environment: 'sandbox',
      apiUrl: running.url,
      emulator: running,
      demoSeed: {
        users: summarizeDemoUsers(seed.DEMO_USERS),
        tourPayables: { carolNew: seed.DEMO_PAYABLES.carolNew.id, frankNew: seed.DEMO_PAYABLES.frankNew.id },
      },
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
