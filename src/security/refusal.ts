import type { ServerResponse } from 'node:http';

/**
 * Answers 403 with the JSON body Nest's own exceptions have, plus a `reason`. The checks that
 * call it run as plain middleware ahead of Nest's routing, where its exception filters do not
 * reach, so they answer by themselves (the same way on Express and Fastify).
 */
export function refuse(response: ServerResponse, reason: string, message: string): void {
  response.statusCode = 403;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(JSON.stringify({ statusCode: 403, error: 'Forbidden', message, reason }));
}
