// The renderer's build: Svelte 5 → renderer/dist, served by Electron's reeltag-app:// protocol
// and by browser mode (reeltag serve). Absolute asset paths work on both (each is an origin).
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [svelte({ configFile: false })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Electron's CSP and the server's allow scripts from the app itself only: no inline loader.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 800,
  },
  // shared/ lives next to renderer/.
  server: { fs: { allow: ['..'] } },
});
