/**
 * Test helper (not part of the build): a valid create and update body for each owned object type
 * the generic routes serve, and the body fields Monite requires on create.
 */

export interface SampleBodies {
  /** A valid `POST` body. */
  create: Record<string, unknown>;
  /** A valid `PATCH` body, where Monite has the route. */
  update?: Record<string, unknown>;
  /** Fields `POST` cannot do without (422 `missing` when one is left out). */
  required: string[];
  /** A query every list needs (comments name the object they are about). */
  listQuery?: string;
}

const UUID_A = '5a1e0000-0000-4000-8000-00000000000a';
const UUID_B = '5a1e0000-0000-4000-8000-00000000000b';
const address = { city: 'Berlin', country: 'DE', line1: 'Unter den Linden 1', postal_code: '10117' };

/** Sample bodies by object type. */
export const SAMPLE_BODIES: Record<string, SampleBodies> = {
  receivable: {
    create: {
      type: 'invoice',
      counterpart_id: UUID_A,
      counterpart_billing_address_id: UUID_B,
      currency: 'EUR',
      line_items: [{ quantity: 2, product_id: UUID_A }],
    },
    update: { invoice: { memo: 'Thanks for your business' } },
    required: ['counterpart_id', 'counterpart_billing_address_id', 'currency', 'line_items'],
  },
  counterpart: {
    create: {
      type: 'organization',
      organization: { legal_name: 'Acme Supplies', is_customer: true, is_vendor: false, address },
    },
    update: { organization: { legal_name: 'Acme Supplies AG' } },
    required: ['organization'],
  },
  comment: {
    create: { object_type: 'payable', object_id: UUID_A, text: 'Looks good' },
    update: { text: 'Looks good to me' },
    required: ['object_id', 'object_type', 'text'],
    // Carol's and Alice's demo comments are on this payable; the partner's is on another.
    listQuery: 'object_type=payable&object_id=00000000-0000-4000-8000-000000004001',
  },
  tag: { create: { name: 'Travel' }, update: { name: 'Travel costs' }, required: ['name'] },
  person: {
    create: { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', relationship: {} },
    update: { phone: '+491234567' },
    required: ['first_name', 'last_name', 'email', 'relationship'],
  },
  delivery_note: {
    create: { counterpart_id: UUID_A, counterpart_address_id: UUID_B, line_items: [{ quantity: 1 }] },
    update: { memo: 'Leave at the gate' },
    required: ['counterpart_id', 'counterpart_address_id', 'line_items'],
  },
  receipt: {
    create: { merchant_name: 'Cafe', total_amount: 450, currency: 'EUR' },
    update: { total_amount: 500 },
    required: [],
  },
  project: { create: { name: 'Launch' }, update: { description: 'Q3 launch' }, required: ['name'] },
  export: {
    create: {
      date_from: '2024-01-01',
      date_to: '2024-03-31',
      format: 'csv',
      objects: [{ name: 'receivable', statuses: ['issued'] }],
    },
    required: ['date_from', 'date_to', 'format', 'objects'],
  },
  approval_policy: {
    create: { name: 'Two approvers', script: [true] },
    update: { description: 'For amounts above 10k' },
    required: ['name', 'script'],
  },
  product: {
    create: { name: 'Widget', price: { currency: 'EUR', value: 1000 } },
    update: { description: 'A better widget' },
    required: ['name'],
  },
  payment_record: {
    create: { amount: 1000, currency: 'EUR', object: { id: UUID_A, type: 'payable' } },
    update: { payment_method: 'sepa_credit' },
    required: ['amount', 'currency', 'object'],
  },
  payables_purchase_order: {
    create: {
      counterpart_id: UUID_A,
      currency: 'EUR',
      message: 'Please deliver by Friday',
      valid_for_days: 14,
      items: [{ name: 'Desk', quantity: 1, unit: 'pcs', price: 20000, currency: 'EUR', vat_rate: 1900 }],
    },
    update: { message: 'Please deliver by Monday' },
    required: ['counterpart_id', 'currency', 'items', 'message', 'valid_for_days'],
  },
  entity_bank_account: {
    create: { country: 'DE', currency: 'EUR', iban: 'DE89370400440532013000' },
    update: { display_name: 'Payroll' },
    required: ['country', 'currency'],
  },
};
