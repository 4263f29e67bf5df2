import { z } from 'zod';
import { currency, items, jsonObject, optional, unchecked, uuid } from './body-fields.js';
import type { OwnedResourceSpec } from './owned-resource-spec.js';

/** Fields quotes and invoices share (ReceivableFacadeCreateQuotePayload / ...InvoicePayload). */
const document = {
  counterpart_id: uuid,
  counterpart_billing_address_id: uuid,
  currency,
  line_items: items,
  counterpart_shipping_address_id: optional(uuid),
  counterpart_vat_id_id: optional(uuid),
  entity_bank_account_id: optional(uuid),
  entity_vat_id_id: optional(uuid),
  project_id: optional(uuid),
  tag_ids: optional(z.array(uuid)),
  document_id: optional(z.string().min(1).max(100)),
  memo: optional(z.string()),
  partner_metadata: optional(jsonObject),
  ...unchecked(
    'attachments',
    'commercial_condition_description',
    'counterpart_business_type',
    'deduction_amount',
    'deduction_memo',
    'discount',
    'document_rendering',
    'entity',
    'footer',
    'trade_name',
    'vat_exempt',
    'vat_exemption_rationale',
    'vat_mode',
    'withholding_tax_rate',
  ),
};

const quote = z.strictObject({
  ...document,
  type: z.literal('quote'),
  ...unchecked('expiry_date', 'quote_accept_page_url', 'signature_required'),
});
const invoice = z.strictObject({
  ...document,
  type: z.literal('invoice'),
  ...unchecked(
    'counterpart_einvoicing_credentials_id',
    'fulfillment_date',
    'is_einvoice',
    'network_credentials_id',
    'overdue_reminder_id',
    'payment_page_url',
    'payment_reminder_id',
    'payment_terms',
    'payment_terms_id',
    'purchase_order',
  ),
});
/** A document made from another: quote -> invoice, invoice -> credit_note. */
const basedOn = z.strictObject({
  based_on: uuid,
  type: z.enum(['invoice', 'credit_note']),
  tag_ids: optional(z.array(uuid)),
});

/** ReceivableUpdatePayload: the changes sit under the document's kind. */
const update = z.union([
  z.strictObject({ quote: jsonObject }),
  z.strictObject({ invoice: jsonObject }),
  z.strictObject({ credit_note: jsonObject }),
  z.strictObject({ issued_invoice: jsonObject }),
]);

/** `/receivables`: quotes, invoices and credit notes; `entity_user_id` is the creator. */
export const RECEIVABLES: OwnedResourceSpec = {
  objectType: 'receivable',
  path: '/receivables',
  idName: 'receivable_id',
  label: 'Receivable',
  creatorField: 'entity_user_id',
  seedKey: 'receivables',
  list: {
    paginated: true,
    filters: [
      { query: 'entity_user_id', field: 'entity_user_id' },
      { query: 'status', field: 'status' },
      { query: 'type', field: 'type' },
      { query: 'counterpart_id', field: 'counterpart_id' },
    ],
  },
  create: { body: z.union([quote, invoice, basedOn]), status: 201, defaults: { status: 'draft' } },
  update: { body: update, toFields: (body) => Object.values(body)[0] as Record<string, unknown> },
  remove: true,
};
