// Compiled by `npm run check-types` (tsc --noEmit --strict): the example, typed against
// src/index.d.ts, so the declarations the server ships stay true to the API.
import { LivestateClient, LivestateError, fileStorage, indexedDbStorage, memoryStorage, type Json, type Status } from '../src/index.js';

export async function example(token: string, WebSocket: unknown): Promise<void> {
  const client = new LivestateClient('ws://localhost:8080/ws', { clientId: 'alice', token, WebSocket, storage: fileStorage('alice.json') });
  const room = client.room('todo', { create: { policy: 'last-writer-wins' }, role: 'writer' });
  await room.ready;
  const value: Json | undefined = room.get('k');
  const all: { [key: string]: Json } = room.state();
  try {
    const { seq }: { seq: number } = await room.set('k', { n: 1 });
    console.log(seq, value, all);
  } catch (e) {
    if (e instanceof LivestateError) console.log(e.code, e.winners.k?.value);
  }
  room.delete('k');
  room.batch({ a: 1, b: null });
  room.on('change', ({ key, value: v, seq, origin }) => console.log(key, v, seq, origin === 'rollback'));
  room.on('conflict', ({ key, mine, winner }) => console.log(key, mine, winner));
  room.on('pending', (count: number) => console.log(count === 0 ? 'all in' : `${count} waiting`));
  room.presence.set({ name: 'Alice' });
  room.on('presence', (clients) => console.log(Object.keys(clients)));
  const published = await room.publish({ text: 'hi' });
  const messages = await room.history({ from: 0, to: published.time });
  console.log(messages.map((m) => m.body));
  const lead = await room.lead();
  if (!lead.granted) console.log(lead.leader);
  await room.unlead();
  client.on('status', (s: Status) => console.log(s));
  await client.flush();
  client.close();
  new LivestateClient('wss://example.org/ws', { token: async () => 'fresh', storage: indexedDbStorage('tab-1') });
  new LivestateClient('ws://localhost:8080/ws', { storage: memoryStorage() });
}
