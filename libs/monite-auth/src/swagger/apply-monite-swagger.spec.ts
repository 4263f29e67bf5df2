import { jest } from '@jest/globals';
import { Controller, Get, Logger } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { MonitePermission } from '../index.js';
import { applyMoniteSwagger } from './apply-monite-swagger.js';
import { describePermission } from './permission-docs.js';

function ownerOfPayable(): undefined {
  return undefined;
}

describe('applyMoniteSwagger', () => {
  afterEach(() => jest.restoreAllMocks());

  it('a handler inherited by controllers with different permissions keeps the first and says so', async () => {
    class ReadOnlyController {
      @Get()
      list() {
        return [];
      }
    }
    @Controller('payables')
    @MonitePermission('payable', 'read')
    class PayablesController extends ReadOnlyController {}
    @Controller('receivables')
    @MonitePermission('receivable', 'read')
    class ReceivablesController extends ReadOnlyController {}
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

    const app = await Test.createTestingModule({
      controllers: [PayablesController, ReceivablesController],
    }).compile();
    applyMoniteSwagger(app);

    const handler = ReadOnlyController.prototype.list;
    expect(Reflect.getMetadata(DECORATORS.API_EXTENSION, handler)).toEqual({
      'x-monite-permission': 'payable.read',
    });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(
      /^ReceivablesController\.list shares its handler with a controller guarded otherwise: documented as payable\.read, not receivable\.read;/,
    );
    await app.close();
  });

  it('names the owner resolver when it has a name, and only then', () => {
    const named = describePermission({ objectType: 'payable', action: 'approve', owner: ownerOfPayable });
    expect(named).toContain('(owner resolver `ownerOfPayable`)');
    const anonymous = describePermission({
      objectType: 'payable',
      action: 'approve',
      owner: (
        () => () =>
          undefined
      )(),
    });
    expect(anonymous).toContain('before the handler runs.');
    expect(anonymous).not.toContain('owner resolver');
  });
});
