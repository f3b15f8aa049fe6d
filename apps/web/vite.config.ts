import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { compileHints } from './compileHints';
import { precompress } from './precompress';
import { routePreloads } from './routePreloads';

/** In development, /api and /healthz go to the server (IPSCOPE_API, default port 8787). */
export default defineConfig({
  plugins: [react(), routePreloads(), compileHints((ids) => ids.some((id) => /\/node_modules\/(echarts|zrender)\//.test(id))), precompress()],
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': process.env.IPSCOPE_API ?? 'http://127.0.0.1:8787',
      '/healthz': process.env.IPSCOPE_API ?? 'http://127.0.0.1:8787',
    },
  },
  // The manifest lets bench/web measure what every page loads (entry, app shell and their imports).
  build: { sourcemap: false, chunkSizeWarningLimit: 1200, manifest: true },
});
