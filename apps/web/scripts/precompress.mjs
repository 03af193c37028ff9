// After `vite build`: a brotli and a gzip copy beside each text file in dist/, made once at the
// strongest settings, so the server sends them as they are (@fastify/static's preCompressed) and
// spends no CPU compressing per request.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const textFile = /\.(html|js|css|svg|json|txt|webmanifest)$/;
const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

async function compressOne(file) {
  const source = await readFile(file);
  const encoded = [
    [
      '.br',
      await brotli(source, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: source.length },
      }),
    ],
    ['.gz', await gzipped(source, { level: 9 })],
  ];
  // A copy that is no smaller than the file would only cost the browser a decode.
  for (const [extension, bytes] of encoded) {
    if (bytes.length < source.length) await writeFile(file + extension, bytes);
  }
}

const entries = await readdir(dist, { recursive: true });
const files = [];
for (const entry of entries) {
  const file = path.join(dist, entry);
  if (textFile.test(entry) && (await stat(file)).isFile()) files.push(file);
}
await Promise.all(files.map(compressOne));
console.log(`precompressed ${files.length} files in ${path.relative(process.cwd(), dist) || dist}`);
