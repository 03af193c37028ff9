import type { FastifyInstance } from 'fastify';

/**
 * Fastify's JSON parser (which refuses __proto__ and constructor keys), except that an empty body is
 * "no body": clients often send Content-Type: application/json on a PATCH with nothing in it.
 */
export function registerJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  // JSON is the only body this API reads; anything else is 415 unsupported_media_type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    // The default parser calls `done` itself; what it returns carries nothing more.
    void parseJson(request, text, done);
  });
}
