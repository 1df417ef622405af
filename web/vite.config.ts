import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { precompress } from './precompress.js';

const root = fileURLToPath(new URL('.', import.meta.url));
/** The API the dev server forwards to (`npm run dev` starts it on this port). */
const api = process.env.LOGPORT_URL ?? 'http://127.0.0.1:8787';

export default defineConfig({
  root,
  base: '/',
  publicDir: 'public',
  plugins: [precompress(fileURLToPath(new URL('./dist', import.meta.url)))],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: {
      '/graphql': { target: api, ws: true, changeOrigin: true },
      '/v1': { target: api, changeOrigin: true },
      '/trpc': { target: api, changeOrigin: true },
      '/healthz': { target: api, changeOrigin: true },
    },
  },
  preview: { host: '127.0.0.1', port: 4173 },
});
