import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built into dist/console, which the gateway serves at `/`. `npm start` and `npm test` run this
// build when a console source changed (tools/lib/stack.mjs).
export default defineConfig({
  base: '/',
  plugins: [react()],
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
