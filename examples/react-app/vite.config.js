import { fileURLToPath } from 'node:url';
import { defineConfig, searchForWorkspaceRoot } from 'vite';
import react from '@vitejs/plugin-react';

// The browser client is used straight from the repository (clients/js/src), not copied and not from npm.
const clientSrc = fileURLToPath(new URL('../../clients/js/src/', import.meta.url));

// Where the demo server listens; `DEMO_SERVER=http://localhost:8080 npm run dev` to change it.
const target = process.env.DEMO_SERVER || 'http://localhost:3000';

// Same-origin paths for the page: the HTTP API (auth, jobs, polling) and the WebSocket.
const proxy = {
  '/api': { target, changeOrigin: true },
  '/ws': { target, changeOrigin: true, ws: true },
};

export default defineConfig({
  plugins: [react()],
  resolve: {
    // Exact-match aliases, as the package's "exports" map would give them.
    alias: [
      { find: /^@jobprogress\/client\/react$/, replacement: `${clientSrc}react.js` },
      { find: /^@jobprogress\/client$/, replacement: `${clientSrc}jobprogress-client.js` },
    ],
    // clients/js has no node_modules: its `import ... from 'react'` must resolve to this app's React
    // (one copy of React, or hooks break).
    dedupe: ['react', 'react-dom'],
  },
  server: {
    proxy,
    // Let the dev server serve the client source that lives outside this folder.
    fs: { allow: [searchForWorkspaceRoot(process.cwd()), clientSrc] },
  },
  preview: { proxy },
});
