import { z } from 'zod';

/*
 * Imported for its effect, by a browser app before any module that builds a schema. Zod compiles a fast
 * object parser with `new Function` when it may, and finds out by trying once as each object schema is
 * built; under the web app's Content-Security-Policy (script-src 'self', no 'unsafe-eval') that try is
 * reported as a CSP violation although zod catches it. Jitless, zod parses the same way without eval.
 * The API does not import this: on Node the compiled parser is allowed and faster.
 */
z.config({ jitless: true });
