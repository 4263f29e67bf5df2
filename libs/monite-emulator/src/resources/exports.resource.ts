import { z } from 'zod';
import { date } from './body-fields.js';
import type { OwnedResourceSpec } from './owned-resource-spec.js';

/** ExportObjectSchema: which documents, in which statuses. */
const exportObject = z.union([
  z.strictObject({ name: z.literal('payable'), statuses: z.array(z.string().min(1)) }),
  z.strictObject({ name: z.literal('receivable'), statuses: z.array(z.string().min(1)) }),
]);

/**
 * `/data_exports`: export jobs (object type `export`); `created_by_entity_user_id` is the creator.
 * Monite has no update or delete; the create answers only `{id}`. Jobs never run here.
 */
export const EXPORTS: OwnedResourceSpec = {
  objectType: 'export',
  path: '/data_exports',
  idName: 'document_export_id',
  label: 'Export',
  creatorField: 'created_by_entity_user_id',
  seedKey: 'exports',
  list: {
    paginated: true,
    filters: [{ query: 'created_by_entity_user_id', field: 'created_by_entity_user_id' }],
  },
  create: {
    body: z.strictObject({
      date_from: date,
      date_to: date,
      format: z.enum(['csv', 'pdf', 'csv_xero']),
      objects: z.array(exportObject).min(1),
    }),
    status: 200,
    answer: 'id',
    defaults: { status: 'pending', count: 0, language: 'en', source_url: null },
  },
  remove: false,
};
