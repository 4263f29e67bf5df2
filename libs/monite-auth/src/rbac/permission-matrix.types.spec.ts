/*
 * Type test, checked by the repository type-check (`npx tsc -p tsconfig.json --noEmit`): each
 * `@ts-expect-error` below must be an error, or the type-check fails ("unused directive").
 */
import { MonitePermission } from './monite-permission.decorator.js';
import {
  MONITE_PERMISSION_MATRIX,
  permissionPairId,
  type MoniteAction,
  type MoniteObjectType,
} from './permission-matrix.js';

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T => true as T;

class Compiles {
  @MonitePermission('payable', 'approve')
  approve(): void {}

  @MonitePermission('payable', 'cancel')
  cancel(): void {}

  @MonitePermission('entity', 'read')
  entity(): void {}

  @MonitePermission('mailbox', 'delete')
  mailbox(): void {}
}

class DoesNotCompile {
  // @ts-expect-error entity has no delete action in the matrix
  @MonitePermission('entity', 'delete')
  deleteEntity(): void {}

  // @ts-expect-error not an object type (the plural of payable)
  @MonitePermission('payables', 'read')
  payables(): void {}

  // @ts-expect-error mailbox has create, read, delete only
  @MonitePermission('mailbox', 'update')
  updateMailbox(): void {}

  // @ts-expect-error approve belongs to payable, not receivable
  @MonitePermission('receivable', 'approve')
  approveReceivable(): void {}
}

describe('permission matrix types', () => {
  it('derives the action union per object type', () => {
    expect(assertType<Equals<MoniteAction<'entity'>, 'read' | 'update'>>()).toBe(true);
    expect(assertType<Equals<MoniteAction<'export'>, 'create' | 'read'>>()).toBe(true);
    expect(
      assertType<
        Equals<
          MoniteAction<'payable'>,
          | 'create'
          | 'create_from_mail'
          | 'read'
          | 'update'
          | 'delete'
          | 'submit'
          | 'approve'
          | 'pay'
          | 'cancel'
          | 'reopen'
        >
      >(),
    ).toBe(true);
  });

  it("has the seed's 21 object types plus the newer ones", () => {
    const seed: MoniteObjectType[] = [
      'approval_policy',
      'approval_request',
      'comment',
      'counterpart',
      'counterpart_vat_id',
      'entity',
      'entity_bank_account',
      'entity_vat_ids',
      'entity_user',
      'export',
      'onboarding',
      'overdue_reminder',
      'payable',
      'payables_purchase_order',
      'payment_record',
      'payment_reminder',
      'person',
      'product',
      'receivable',
      'role',
      'tag',
    ];
    const newer: MoniteObjectType[] = [
      'delivery_note',
      'mailbox',
      'ocr_task',
      'project',
      'receipt',
      'reconciliation',
      'todo_task',
      'todo_task_mute',
      'transaction',
      'workflow',
    ];
    expect(Object.keys(MONITE_PERMISSION_MATRIX).sort()).toEqual([...seed, ...newer].sort());
  });

  it('gives every pair a distinct id, and -1 to the pairs that do not compile', () => {
    const ids = Object.entries(MONITE_PERMISSION_MATRIX).flatMap(([type, actions]) =>
      actions.map((action) => permissionPairId(type, action)),
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => id >= 0)).toBe(true);
    expect(permissionPairId('entity', 'delete')).toBe(-1);
    expect(permissionPairId('constructor', 'read')).toBe(-1);
    expect(permissionPairId('payable', '__proto__')).toBe(-1);
    expect([Compiles, DoesNotCompile]).toHaveLength(2);
  });
});
