/*
 * A separate application that uses nestjs-monite-auth the way a user does: installed from the
 * packed tarball, imported by package name. packed-consumer.e2e.spec.ts copies these sources into
 * a Nest 11 CommonJS app and a Nest 12 ESM app, compiles them with each app's own tsc and starts
 * this file; it prints the port it listens on, and the spec sends the requests.
 */
import 'reflect-metadata';
import { createConsumerApp } from './create-consumer-app.js';

async function bootstrap(): Promise<void> {
  const app = await createConsumerApp(process.env.ADAPTER === 'fastify' ? 'fastify' : 'express');
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  process.stdout.write(`${JSON.stringify({ port })}\n`);
}

void bootstrap();
