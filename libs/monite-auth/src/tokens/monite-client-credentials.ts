import { hkdfSync } from 'node:crypto';
import { MoniteSecretScrubber } from '../errors/monite-secret-scrubber.js';
import { basicCredentials, formUrlEncode } from './oauth2-form-encoding.js';

/** HKDF `info` of the key material handed to a token store for sealing (versioned: a change is a new key). */
export const SEALING_KEY_INFO = 'nestjs-monite-auth token store sealing v1';

/**
 * The partner's client credentials. The secret lives in a private field: `util.inspect` (at any
 * depth, with hidden properties and getters), `JSON.stringify` and `String()` show the client id
 * only. It leaves this object only towards the token endpoint, and as a scrubber of every form it
 * takes on the wire, so that nothing a server echoes can carry it into an error.
 */
export class MoniteClientCredentials {
  readonly clientId: string;
  readonly #secret: string;
  /** Removes the secret, in every form it takes on the wire, from text a server sent back. */
  readonly scrubber: MoniteSecretScrubber;

  constructor(clientId: string, clientSecret: string) {
    this.clientId = clientId;
    this.#secret = clientSecret;
    this.scrubber = new MoniteSecretScrubber([
      clientSecret,
      encodeURIComponent(clientSecret),
      formUrlEncode(clientSecret),
      JSON.stringify(clientSecret).slice(1, -1),
      basicCredentials(clientId, clientSecret),
      Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64'),
    ]);
    Object.freeze(this);
  }

  /** The secret itself, for the request body of the token and revocation endpoints. */
  revealSecret(): string {
    return this.#secret;
  }

  /** RFC 6749 2.3.1 HTTP Basic credentials (without the `Basic ` scheme). */
  basic(): string {
    return basicCredentials(this.clientId, this.#secret);
  }

  /**
   * 32 bytes of HKDF-SHA256 key material (input: the secret; salt: the client id; info:
   * {@link SEALING_KEY_INFO}), the same on every replica of this client, from which a shared store
   * derives the keys it seals tokens with. Not the secret, and the secret cannot be recovered from it.
   */
  sealingKeyMaterial(): Uint8Array {
    return new Uint8Array(hkdfSync('sha256', this.#secret, this.clientId, SEALING_KEY_INFO, 32));
  }
}
