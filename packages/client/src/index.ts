// A typed client of the Convene API: openapi-fetch over the types openapi-typescript generates
// from openapi/openapi.json (schema.ts). Every path, parameter, body and answer is checked by the
// compiler; errors come back as the API's problem details (`error`), never thrown.
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };
export type ConveneClient = Client<paths>;
/** A component schema by name, e.g. `Schema<'Problem'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

export interface ConveneClientOptions {
  /** Where the API listens, e.g. http://127.0.0.1:3000 (what `npm start` prints). */
  baseUrl: string;
  /** An API key (`npm run api-keys -- create ...`, or the development key `npm start` prints). */
  apiKey?: string;
  /** Another fetch (tests, instrumentation). */
  fetch?: typeof globalThis.fetch;
}

export function createConveneClient(options: ConveneClientOptions): ConveneClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl.replace(/\/$/, ''), ...(options.fetch ? { fetch: options.fetch } : {}) });
  if (options.apiKey) {
    const auth: Middleware = {
      onRequest({ request }) {
        request.headers.set('authorization', `Bearer ${options.apiKey}`);
        return request;
      },
    };
    client.use(auth);
  }
  return client;
}

/** The weak ETag a command answers with, as `If-Match` wants it: `W/"<version>"`. */
export const ifMatch = (version: number): string => `W/"${version}"`;
