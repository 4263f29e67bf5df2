/**
 * Test helper (not part of the build): what a user writes against the installed package. The
 * packaging test copies it into a separate project, type-checks it against the package's .d.ts
 * and runs it.
 */
import { DEMO_CLIENT, DEMO_OBJECTS, startMoniteEmulator, type MoniteEmulator } from 'monite-emulator';
import { PAYABLE_STATUSES, type PayableStatus } from 'monite-emulator/domain';

const firstStatus: PayableStatus = PAYABLE_STATUSES[0];
const emulator: MoniteEmulator = await startMoniteEmulator({ port: 0 });
try {
  const headers = { 'content-type': 'application/json', 'x-monite-version': '2024-05-25' };
  const token = await fetch(`${emulator.url}/auth/token`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: DEMO_CLIENT.clientId,
      client_secret: DEMO_CLIENT.clientSecret,
    }),
  });
  const { access_token } = (await token.json()) as { access_token: string };
  const receivable = DEMO_OBJECTS.receivables.carol;
  const answer = await fetch(`${emulator.url}/receivables/${receivable.id}`, {
    headers: {
      ...headers,
      authorization: `Bearer ${access_token}`,
      'x-monite-entity-id': receivable.entityId,
    },
  });
  const body = (await answer.json()) as { entity_user_id: string };
  console.log(`consumer: ${answer.status} ${body.entity_user_id} ${firstStatus}`);
} finally {
  await emulator.close();
}
