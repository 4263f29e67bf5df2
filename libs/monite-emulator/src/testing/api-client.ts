/**
 * Test helper (not part of the build): a tiny fetch-based client for the emulator's HTTP API.
 */
import { DEMO_CLIENT, DEMO_USERS } from '../demo-seed.js';
import type { MoniteEmulator, SeedClient } from '../emulator.types.js';

export const VERSION = '2024-05-25';

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body, or undefined when the body is empty or not JSON. */
  body: any;
}

export interface CallOptions {
  token?: string;
  entityId?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Omit x-monite-version. */
  noVersion?: boolean;
}

export async function toResponse(res: Response): Promise<ApiResponse> {
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

export class ApiClient {
  constructor(
    readonly emulator: MoniteEmulator,
    readonly client: SeedClient = DEMO_CLIENT,
  ) {}

  /** Any request to a `/v1` path (give it without `/v1`). */
  async call(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (!options.noVersion) headers['x-monite-version'] ??= VERSION;
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    if (options.entityId) headers['x-monite-entity-id'] = options.entityId;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    return toResponse(await fetch(`${this.emulator.url}${path}`, { method, headers, body }));
  }

  tokenRequest(body: unknown, options: CallOptions = {}): Promise<ApiResponse> {
    return this.call('POST', '/auth/token', { ...options, body });
  }

  async partnerToken(): Promise<string> {
    const res = await this.tokenRequest({
      grant_type: 'client_credentials',
      client_id: this.client.clientId,
      client_secret: this.client.clientSecret,
    });
    if (res.status !== 200) throw new Error(`partner token: ${res.status}`);
    return res.body.access_token as string;
  }

  async userToken(user: keyof typeof DEMO_USERS | { id: string }): Promise<string> {
    const id = typeof user === 'string' ? DEMO_USERS[user].id : user.id;
    const res = await this.tokenRequest({
      grant_type: 'entity_user',
      client_id: this.client.clientId,
      client_secret: this.client.clientSecret,
      entity_user_id: id,
    });
    if (res.status !== 200) throw new Error(`user token: ${res.status}`);
    return res.body.access_token as string;
  }

  /** POST /oauth2/token with a form body and optional extra headers. */
  async oauth2(
    form: Record<string, string> | string,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse> {
    const body = typeof form === 'string' ? form : new URLSearchParams(form).toString();
    return toResponse(
      await fetch(this.emulator.oauth2TokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body,
      }),
    );
  }
}

/** RFC 6749 2.3.1: Basic credentials are base64(urlencode(id) ":" urlencode(secret)). */
export function basicAuth(id: string, secret: string): string {
  const encode = (s: string): string => new URLSearchParams({ v: s }).toString().slice(2);
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}
