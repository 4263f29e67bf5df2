import { Test, type TestingModule } from '@nestjs/testing';
import { DEMO_CLIENT, DEMO_OBJECTS, DEMO_USERS } from 'monite-emulator';
import { MoniteAuthModule, MoniteTokenService } from 'nestjs-monite-auth';
import { useMoniteEmulator } from './monite-emulator.js';

describe('receivables against the Monite emulator', () => {
  const monite = useMoniteEmulator();
  let moduleRef: TestingModule;

  beforeEach(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [
        MoniteAuthModule.forRoot({
          clientId: DEMO_CLIENT.clientId,
          clientSecret: DEMO_CLIENT.clientSecret,
          apiUrl: monite.current.url,
        }),
      ],
    }).compile();
  });
  afterEach(() => moduleRef.close());

  it("Carol, the AP clerk, reads her own receivable and not Alice's", async () => {
    const carol = DEMO_USERS.carol;
    const { accessToken } = await moduleRef.get(MoniteTokenService).getEntityUserToken(carol.id);
    const read = (id: string) =>
      fetch(`${monite.current.url}/receivables/${id}`, {
        headers: {
          authorization: `Bearer ${accessToken}`,
          'x-monite-version': '2024-05-25',
          'x-monite-entity-id': carol.entityId,
        },
      });

    expect((await read(DEMO_OBJECTS.receivables.carol.id)).status).toBe(200);
    expect((await read(DEMO_OBJECTS.receivables.alice.id)).status).toBe(403);
    expect(monite.current.count('POST /v1/auth/token')).toBe(1);
  });
});
