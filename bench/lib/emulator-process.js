/*
 * Child process running a Monite emulator with many entity users (argv[2]), so that its own memory
 * (users, issued tokens) never counts in the parent's heap measurement. Sends `{ url }` when ready.
 */
import { DEMO_CLIENT, startMoniteEmulator } from 'monite-emulator';
import { BENCH_ENTITY as ENTITY, benchUserId } from './bench-users.js';

const users = Number(process.argv[2]);
if (process.send === undefined || !Number.isSafeInteger(users) || users < 1) {
  throw new Error('emulator-process.js is started by tokens.bench.js with a user count');
}
const emulator = await startMoniteEmulator({
  port: 0,
  rateLimitPerSecond: false,
  seed: {
    clients: [{ clientId: DEMO_CLIENT.clientId, clientSecret: DEMO_CLIENT.clientSecret }],
    entities: [{ id: ENTITY, name: 'Bench entity' }],
    roles: [],
    entityUsers: Array.from({ length: users }, (_, i) => ({
      id: benchUserId(i),
      entityId: ENTITY,
      name: `u${i}`,
    })),
  },
});
process.on('disconnect', () => void emulator.close());
// The emulator rescans every issued token on each issue once it holds 10,000 of them; the bench
// asks it to forget issued tokens (the service never presents them back) before it gets there.
process.on('message', (message) => {
  if (message !== 'forget-tokens') return;
  emulator.reset();
  process.send('forgotten');
});
process.send({ url: emulator.url });
