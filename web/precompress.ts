import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** Types worth compressing; images other than SVG are compressed already. */
export const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.svg', '.json', '.map', '.txt', '.webmanifest']);
const MIN_BYTES = 512;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/**
 * After the build, writes `file.br` (brotli, best) and `file.gz` (gzip -9) next to each text file, so Logport
 * serves them with Content-Encoding without compressing per request (src/transports/web/static.ts).
 * A copy is kept only when it is smaller.
 */
export function precompress(outDir: string): Plugin {
  return {
    name: 'logport-precompress',
    apply: 'build',
    closeBundle() {
      for (const path of walk(outDir)) {
        if (!COMPRESSIBLE.has(extname(path))) continue;
        const raw = readFileSync(path);
        if (raw.length < MIN_BYTES) continue;
        const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
        const gz = gzipSync(raw, { level: 9 });
        if (br.length < raw.length) writeFileSync(`${path}.br`, br);
        if (gz.length < raw.length) writeFileSync(`${path}.gz`, gz);
      }
    },
  };
}
