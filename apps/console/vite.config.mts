import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Built into dist/console, which the gateway serves at `/`. `npm start` and `npm test` run this
// build when a console source changed (tools/lib/stack.mjs).
export default defineConfig({
  base: '/',
  plugins: [react()],
  // The console's own entry points of the libraries, as in its tsconfig: the browser part of the
  // domain (enums, constants and rules it shares with the services), and the API's replies as
  // types only.
  resolve: {
    alias: {
      '@keyward/domain': fileURLToPath(new URL('../../libs/domain/src/browser.ts', import.meta.url)),
      '@keyward/contracts': fileURLToPath(new URL('../../libs/contracts/src/views.ts', import.meta.url)),
    },
  },
  build: {
    outDir: '../../dist/console',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
  },
  server: {
    // `npx vite` in apps/console: the development server forwards the API to a running gateway.
    proxy: { '/v1': 'http://127.0.0.1:8228' },
  },
});
