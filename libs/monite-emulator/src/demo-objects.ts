import { demoId } from './demo-ids.js';
import type { MoniteEmulatorSeed, OwnedSeedKey, SeedOwnedObject } from './emulator.types.js';

/**
 * Demo objects of every owned type besides payables: at Acme one made by Carol (AP clerk, who may
 * act on her own only), one by Alice (admin) and one by the partner (nobody's); at Globex one by
 * Heidi. Ids are `demoId(5000 + 10 * type + n)`.
 */

const ACME = demoId(1001);
const GLOBEX = demoId(1002);
const ALICE = demoId(3001);
const CAROL = demoId(3003);
const HEIDI = demoId(3102);
const COUNTERPART_ADDRESS = demoId(9001);

/** The four demo objects of one type, by who made them. */
export interface DemoObjects<CreatorField extends string> {
  carol: SeedOwnedObject<CreatorField>;
  alice: SeedOwnedObject<CreatorField>;
  partner: SeedOwnedObject<CreatorField>;
  globex: SeedOwnedObject<CreatorField>;
}

type Fields = Record<string, unknown>;

function objects<C extends string>(
  typeIndex: number,
  creatorField: C,
  fields: [carol: Fields, alice: Fields, partner: Fields, heidi: Fields],
): DemoObjects<C> {
  const make = (n: number, entityId: string, creator: string | null, extra: Fields) =>
    ({
      id: demoId(5000 + typeIndex * 10 + n),
      entityId,
      [creatorField]: creator,
      ...extra,
    }) as SeedOwnedObject<C>;
  return {
    carol: make(1, ACME, CAROL, fields[0]),
    alice: make(2, ACME, ALICE, fields[1]),
    partner: make(3, ACME, null, fields[2]),
    globex: make(4, GLOBEX, HEIDI, fields[3]),
  };
}

const invoice = (amount: number, currency: string, status: string) => ({
  type: 'invoice',
  status,
  currency,
  total_amount: amount,
  counterpart_id: demoId(5011),
  counterpart_billing_address_id: COUNTERPART_ADDRESS,
  line_items: [{ quantity: 1, product_id: demoId(5101) }],
});
const organization = (legal_name: string, is_vendor: boolean) => ({
  type: 'organization',
  organization: {
    legal_name,
    is_customer: !is_vendor,
    is_vendor,
    address: { city: 'Berlin', country: 'DE', line1: 'Flughafenstrasse 52', postal_code: '10115' },
  },
});
const person = (first_name: string, last_name: string, title: string) => ({
  first_name,
  last_name,
  email: `${first_name.toLowerCase()}@example.com`,
  relationship: { director: title === 'Director', title },
});
/** Delivery note `n` (1..4): to counterpart `n`, one line of product `n`. */
const deliveryNote = (n: number, status: string, quantity: number) => ({
  counterpart_id: demoId(5010 + n),
  counterpart_address_id: COUNTERPART_ADDRESS,
  status,
  line_items: [{ quantity, product_id: demoId(5100 + n) }],
});
const exportJob = (format: string) => ({
  format,
  date_from: '2024-01-01',
  date_to: '2024-12-31',
  objects: [{ name: 'payable', statuses: ['paid'] }],
  status: 'done',
  count: 3,
  language: 'en',
});
const policy = (name: string, amount: number) => ({
  name,
  status: 'active',
  script: [{ call: 'ApprovalRequests.request_approval_by_users', params: { user_ids: [ALICE] } }],
  trigger: { all: [`{event_name == 'submitted_for_approval'}`, `{invoice.amount >= ${amount}}`] },
});
const paymentRecord = (amount: number, currency: string, payable: string) => ({
  amount,
  currency,
  object: { id: payable, type: 'payable' },
  status: 'succeeded',
  is_external: true,
  history: [],
});
const purchaseOrder = (message: string, currency: string) => ({
  counterpart_id: demoId(5011),
  currency,
  message,
  valid_for_days: 30,
  status: 'draft',
  items: [{ name: 'Desk', quantity: 2, unit: 'pcs', price: 25_000, currency, vat_rate: 1_900 }],
});
const bankAccount = (display_name: string, currency: string, country: string, iban: string) => ({
  display_name,
  currency,
  country,
  iban,
  is_default_for_currency: false,
});

/** The demo objects, by seed key and then by who made them (`DEMO_OBJECTS.receivables.carol.id`). */
export const DEMO_OBJECTS = Object.freeze({
  receivables: objects(0, 'entity_user_id', [
    invoice(119_000, 'EUR', 'draft'),
    invoice(450_000, 'EUR', 'issued'),
    invoice(80_000, 'EUR', 'paid'),
    invoice(60_000, 'USD', 'draft'),
  ]),
  counterparts: objects(1, 'created_by_entity_user_id', [
    organization('Chair Factory AG', true),
    organization('Initech GmbH', false),
    organization('Cloud Hosting SE', true),
    organization('Shelving Inc.', true),
  ]),
  comments: objects(2, 'created_by_entity_user_id', [
    { object_type: 'payable', object_id: demoId(4001), text: 'Chairs arrive Monday.', status: 'active' },
    { object_type: 'payable', object_id: demoId(4001), text: 'Approved budget, go ahead.', status: 'active' },
    { object_type: 'payable', object_id: demoId(4005), text: 'Imported from the ERP.', status: 'active' },
    { object_type: 'payable', object_id: demoId(4101), text: 'Second delivery pending.', status: 'active' },
  ]),
  tags: objects(3, 'created_by_entity_user_id', [
    { name: 'Office', category: 'department' },
    { name: 'Urgent', category: 'approval_status' },
    { name: 'Imported', category: 'document_type' },
    { name: 'Warehouse', category: 'cost_center' },
  ]),
  persons: objects(4, 'created_by_entity_user_id', [
    person('Carla', 'Ceo', 'CEO'),
    person('Axel', 'Director', 'Director'),
    person('Paula', 'Partner', 'Representative'),
    person('Gina', 'Globex', 'CEO'),
  ]),
  deliveryNotes: objects(5, 'created_by_entity_user_id', [
    deliveryNote(1, 'created', 12),
    deliveryNote(2, 'delivered', 3),
    deliveryNote(3, 'created', 1),
    deliveryNote(4, 'created', 40),
  ]),
  receipts: objects(6, 'created_by_entity_user_id', [
    {
      merchant_name: 'Coffee Corner',
      total_amount: 1_250,
      currency: 'EUR',
      source_of_data: 'user_specified',
    },
    { merchant_name: 'Taxi Berlin', total_amount: 3_400, currency: 'EUR', source_of_data: 'user_specified' },
    { merchant_name: 'Office Depot', total_amount: 8_990, currency: 'EUR', source_of_data: 'ocr' },
    { merchant_name: 'Diner 24', total_amount: 2_100, currency: 'USD', source_of_data: 'user_specified' },
  ]),
  projects: objects(7, 'created_by_entity_user_id', [
    { name: 'Office move', code: 'MOVE24' },
    { name: 'Website relaunch', code: 'WEB' },
    { name: 'ERP import', code: 'ERP' },
    { name: 'New warehouse', code: 'WH2' },
  ]),
  exports: objects(8, 'created_by_entity_user_id', [
    exportJob('csv'),
    exportJob('pdf'),
    exportJob('csv_xero'),
    exportJob('csv'),
  ]),
  approvalPolicies: objects(9, 'created_by', [
    policy('Small purchases', 10_000),
    policy('Large purchases', 1_000_000),
    policy('Imported policy', 50_000),
    policy('Globex purchases', 20_000),
  ]),
  products: objects(10, 'entity_user_id', [
    { name: 'Office chair', type: 'product', price: { currency: 'EUR', value: 25_000 } },
    { name: 'Consulting hour', type: 'service', price: { currency: 'EUR', value: 12_000 } },
    { name: 'Hosting plan', type: 'service', price: { currency: 'EUR', value: 4_900 } },
    { name: 'Pallet rack', type: 'product', price: { currency: 'USD', value: 30_000 } },
  ]),
  paymentRecords: objects(11, 'entity_user_id', [
    paymentRecord(48_000, 'EUR', demoId(4002)),
    paymentRecord(300_000, 'EUR', demoId(4004)),
    paymentRecord(15_000, 'EUR', demoId(4005)),
    paymentRecord(18_000, 'USD', demoId(4102)),
  ]),
  purchaseOrders: objects(12, 'created_by_user_id', [
    purchaseOrder('Chairs for the new office', 'EUR'),
    purchaseOrder('Laptops for the sales team', 'EUR'),
    purchaseOrder('Standing order (imported)', 'EUR'),
    purchaseOrder('Shelving for hall 2', 'USD'),
  ]),
  bankAccounts: objects(13, 'was_created_by_user_id', [
    bankAccount('Petty cash', 'EUR', 'DE', 'DE89370400440532013000'),
    bankAccount('Main account', 'EUR', 'DE', 'DE02120300000000202051'),
    bankAccount('Imported account', 'EUR', 'DE', 'DE02500105170137075030'),
    bankAccount('Operating account', 'USD', 'US', 'US64SVBKUS6S3300958879'),
  ]),
}) satisfies Record<OwnedSeedKey, unknown>;

/** The demo objects as seed arrays. */
export function demoObjectSeed(): Pick<MoniteEmulatorSeed, OwnedSeedKey> {
  return Object.fromEntries(
    Object.entries(DEMO_OBJECTS).map(([key, byCreator]) => [
      key,
      Object.values(byCreator).map((o) => structuredClone(o)),
    ]),
  ) as Pick<MoniteEmulatorSeed, OwnedSeedKey>;
}
