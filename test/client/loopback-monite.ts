/*
 * A tiny stand-in for Monite on a loopback port, for what the emulator cannot show: the exact
 * request target that reached the server (before any routing or decoding), and answers that are
 * slow, huge or endless. It issues partner tokens and answers every other request with `respond`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type LoopbackResponder = (request: IncomingMessage, response: ServerResponse) => void;

export interface LoopbackMonite {
  /** Base URL, ending in `/v1`. */
  readonly url: string;
  /** Raw request targets (`req.url`) of every request but token requests, in order. */
  readonly targets: string[];
  /** Every bearer token issued. */
  readonly tokens: string[];
  /** Answers every request but token requests; default: 200 `{}`. */
  respond: LoopbackResponder;
  close(): Promise<void>;
}

const answerEmptyObject: LoopbackResponder = (_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
};

export async function startLoopbackMonite(): Promise<LoopbackMonite> {
  const targets: string[] = [];
  const tokens: string[] = [];
  const server = createServer((request, response) => {
    request.resume();
    if (request.method === 'POST' && request.url === '/v1/auth/token') {
      const token = `loopback-token-${tokens.length + 1}-${Math.random().toString(36).slice(2)}`;
      tokens.push(token);
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 }));
      return;
    }
    targets.push(request.url ?? '');
    monite.respond(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const monite: LoopbackMonite = {
    url: `http://127.0.0.1:${port}/v1`,
    targets,
    tokens,
    respond: answerEmptyObject,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return monite;
}
