/**
 * CONTRACT of the emulator's programmatic API. Other code and tests depend on these names;
 * the emulator helper implements them (and may add, not rename).
 */
export interface SeedClient {
  clientId: string;
  clientSecret: string;
}
export interface SeedEntity {
  id: string;
  name: string;
}
export interface SeedRole {
  id: string;
  entityId: string;
  name: string;
  permissions: {
    objects: {
      object_type: string;
      actions: { action_name: string; permission: 'allowed' | 'allowed_for_own' | 'not_allowed' }[];
    }[];
  };
}
export interface SeedEntityUser {
  id: string;
  entityId: string;
  roleId?: string;
  name: string;
  /** (Addition) Monite's `login`; default: the name, lower-cased, spaces as dots. */
  login?: string;
  /** (Addition) Monite's `email`; default: none. */
  email?: string;
}
export interface SeedPayable {
  id: string;
  entityId: string;
  was_created_by_user_id: string | null;
  amount: number;
  currency: string;
  status: string;
  [field: string]: unknown;
}
/**
 * (Addition) An object of an owned type in a seed: its id, its entity, the field naming the entity
 * user who created it (`null`: made by the partner, nobody owns it) and any other fields, returned
 * as they are. `created_at` / `updated_at` default to the start time.
 */
export type SeedOwnedObject<CreatorField extends string> = {
  id: string;
  entityId: string;
  created_at?: string;
  updated_at?: string;
} & { [K in CreatorField]: string | null } & { [field: string]: unknown };

export interface MoniteEmulatorSeed {
  clients: SeedClient[];
  entities: SeedEntity[];
  roles: SeedRole[];
  entityUsers: SeedEntityUser[];
  payables?: SeedPayable[];
  /** (Addition) `/receivables`; creator field `entity_user_id`. */
  receivables?: SeedOwnedObject<'entity_user_id'>[];
  /** (Addition) `/counterparts`; creator field `created_by_entity_user_id`. */
  counterparts?: SeedOwnedObject<'created_by_entity_user_id'>[];
  /** (Addition) `/comments`; creator field `created_by_entity_user_id`. */
  comments?: SeedOwnedObject<'created_by_entity_user_id'>[];
  /** (Addition) `/tags`; creator field `created_by_entity_user_id`. */
  tags?: SeedOwnedObject<'created_by_entity_user_id'>[];
  /** (Addition) `/persons`; creator field `created_by_entity_user_id`. */
  persons?: SeedOwnedObject<'created_by_entity_user_id'>[];
  /** (Addition) `/delivery_notes`; creator field `created_by_entity_user_id`. */
  deliveryNotes?: SeedOwnedObject<'created_by_entity_user_id'>[];
  /** (Addition) `/receipts`; creator field `created_by_entity_user_id`. */
  receipts?: SeedOwnedObject<'created_by_entity_user_id'>[];
  /** (Addition) `/projects`; creator field `created_by_entity_user_id`. */
  projects?: SeedOwnedObject<'created_by_entity_user_id'>[];
  /** (Addition) `/data_exports` (object type `export`); creator field `created_by_entity_user_id`. */
  exports?: SeedOwnedObject<'created_by_entity_user_id'>[];
  /** (Addition) `/approval_policies`; creator field `created_by`. */
  approvalPolicies?: SeedOwnedObject<'created_by'>[];
  /** (Addition) `/products`; creator field `entity_user_id`. */
  products?: SeedOwnedObject<'entity_user_id'>[];
  /** (Addition) `/payment_records`; creator field `entity_user_id`. */
  paymentRecords?: SeedOwnedObject<'entity_user_id'>[];
  /** (Addition) `/payable_purchase_orders` (object type `payables_purchase_order`); creator field `created_by_user_id`. */
  purchaseOrders?: SeedOwnedObject<'created_by_user_id'>[];
  /** (Addition) `/bank_accounts` (object type `entity_bank_account`); creator field `was_created_by_user_id`. */
  bankAccounts?: SeedOwnedObject<'was_created_by_user_id'>[];
}

/** (Addition) The seed arrays of owned object types other than payables. */
export type OwnedSeedKey = Exclude<
  keyof MoniteEmulatorSeed,
  'clients' | 'entities' | 'roles' | 'entityUsers' | 'payables'
>;

/** A one-shot fault, applied to the next request on a route and then forgotten. */
export interface MoniteEmulatorFault {
  /** Wait this long before answering (the answer is otherwise normal unless more is set). */
  delayMs?: number;
  /** Answer with this status (5xx, 429, or anything) and Monite's error body for it, or `body`. */
  status?: number;
  /** With a 429 (or any status): the `Retry-After` header, seconds or an HTTP date, as given. */
  retryAfter?: string;
  /** Answer 200 with an HTML page instead of JSON. */
  malformed?: boolean;
  /** Answer with this exact JSON body (with `status`, default 200). */
  body?: unknown;
  /** Never answer; the socket stays open until the client gives up or the emulator closes. */
  hang?: boolean;
  /** Destroy the socket without answering (the client sees ECONNRESET). */
  reset?: boolean;
}

export interface MoniteEmulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Listening address; loopback only. Default 127.0.0.1. */
  host?: string;
  /** A seed object, or a path to a seed JSON file. Default: the demo seed. */
  seed?: MoniteEmulatorSeed | string;
  /** `expires_in` of issued tokens, in seconds. Default 1800. */
  tokenLifetimeSeconds?: number;
  /** Requests per second per API client before 429; `false` (programmatic default) turns it off. The CLI defaults to 30. */
  rateLimitPerSecond?: number | false;
  /** Status of a successful OAuth2-profile token response (`/oauth2/token`): 200 (default) or 201. */
  oauth2SuccessStatus?: 200 | 201;
  /** Receives log lines (never a secret or token). Default: silent programmatically, stdout for the CLI. */
  log?: (line: string) => void;
  /** (Addition) Length of a rate-limit window in ms, on the emulator clock. Default 1000 (per second). */
  rateLimitWindowMs?: number;
}

/**
 * (Addition) What the emulator remembers of one request, for tests. The `Authorization` (and
 * `Cookie`) values and every body value are dropped; the path, query string, other headers and
 * body field names are kept as received, so a test can check that nothing secret travels there.
 */
export interface MoniteEmulatorRequestRecord {
  /** Route key, e.g. `'POST /v1/auth/token'`; `undefined` when no route matched the path. */
  route: string | undefined;
  method: string;
  path: string;
  /** The query string without `?`, empty when there is none. */
  query: string;
  /** Request headers (lower-case names); `authorization` is reduced to its scheme, e.g. `'Bearer [redacted]'`. */
  headers: Record<string, string>;
  /** Names of the JSON object or form fields in the body; values are not kept. */
  bodyFields: string[];
}

/** (Addition) A token minted by `issueToken`, shaped like the token endpoint's answer. */
export interface MoniteEmulatorIssuedToken {
  access_token: string;
  expires_in: number;
  token_type: 'Bearer';
}

export interface MoniteEmulator {
  /** Base URL ending in `/v1`, e.g. `http://127.0.0.1:41234/v1`. */
  readonly url: string;
  /** URL of the generic OAuth2 client-credentials token endpoint (MoneyKit-style profile). */
  readonly oauth2TokenUrl: string;
  /** The seed the emulator was started with (deep copy). */
  readonly seed: MoniteEmulatorSeed;
  /** Requests seen on a route since start or the last reset, e.g. `count('POST /v1/auth/token')`; no argument: all. */
  count(route?: string): number;
  /** Queue a one-shot fault for the next request on a route, e.g. `fault('POST /v1/auth/token', { status: 503 })`. */
  fault(route: string, fault: MoniteEmulatorFault): void;
  /** Change `expires_in` for tokens issued from now on. */
  setTokenLifetime(seconds: number): void;
  /** Move the emulator's clock forward (tokens expire by this clock). */
  advanceClock(ms: number): void;
  /** Forget counters, faults, issued tokens and data changes; back to the seed. */
  reset(): void;
  /** Stop listening and drop open connections (hanging ones included). */
  close(): Promise<void>;

  /** (Addition) Every route key the emulator serves, sorted. `count`/`fault` refuse any other key. */
  routes(): string[];
  /** (Addition) Requests seen since start or the last reset (see `MoniteEmulatorRequestRecord` for what is kept), optionally for one route key; at most the last 1000. */
  requests(route?: string): MoniteEmulatorRequestRecord[];
  /** (Addition) Tokens issued (all grants, HTTP or `issueToken`) since start or the last reset. */
  issuedTokens(): number;
  /** (Addition) Mint a token without HTTP: a partner token, or an entity user's with `entityUserId`. Uses the first seed client unless `clientId` is given. */
  issueToken(options?: { entityUserId?: string; clientId?: string }): MoniteEmulatorIssuedToken;
  /** (Addition) Give an entity user another role (`null`: no role, nothing allowed). Takes effect on the next request. */
  setUserRole(entityUserId: string, roleId: string | null): void;
  /** (Addition) Replace a role's permissions (e.g. downgrade it while a test runs). Takes effect on the next request. */
  setRolePermissions(roleId: string, permissions: SeedRole['permissions']): void;
  /** (Addition) A payable as the API returns it, or `undefined`. */
  getPayable(payableId: string): Record<string, unknown> | undefined;
  /** (Addition) An object of an owned type (`'receivable'`, `'payable'`, ...) as the API returns it, or `undefined`. */
  getObject(objectType: string, id: string): Record<string, unknown> | undefined;
}
