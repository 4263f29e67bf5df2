import { z } from 'zod';
import { country, currency, name, optional } from './body-fields.js';
import type { OwnedResourceSpec } from './owned-resource-spec.js';

/**
 * `/bank_accounts` (object type `entity_bank_account`); `was_created_by_user_id` is the creator.
 * Only `currency` and `country` are required; the per-country rules (IBAN for EUR, ...) are not
 * checked here. A PATCH may change only the names.
 */
export const BANK_ACCOUNTS: OwnedResourceSpec = {
  objectType: 'entity_bank_account',
  path: '/bank_accounts',
  idName: 'bank_account_id',
  label: 'Bank account',
  creatorField: 'was_created_by_user_id',
  seedKey: 'bankAccounts',
  list: { paginated: true, filters: [] },
  create: {
    body: z.strictObject({
      country,
      currency,
      account_holder_name: optional(name(200)),
      account_number: optional(z.string()),
      bank_name: optional(z.string()),
      bic: optional(z.string()),
      display_name: optional(name(200)),
      iban: optional(z.string()),
      is_default_for_currency: optional(z.boolean()),
      routing_number: optional(z.string()),
      sort_code: optional(z.string()),
    }),
    status: 201,
    defaults: { is_default_for_currency: false },
  },
  update: {
    body: z.strictObject({
      account_holder_name: optional(name(200)),
      display_name: optional(name(200)),
    }),
  },
  remove: true,
};
