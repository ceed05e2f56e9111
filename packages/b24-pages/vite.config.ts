import bitrix24UIPluginVite from '@bitrix24/b24ui-nuxt/vite';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/**
 * The three pages, each its own entry (no router: the portal opens each by its handler URL). The
 * Koa app serves each HTML at its handler URL and the files under `dist/assets` at
 * `/b24/pages/assets/` (packages/b24-app/src/pages/built-pages.ts), hence `base`.
 */
export default defineConfig({
  base: '/b24/pages/',
  resolve: { conditions: ['@prozvon/source'] },
  plugins: [
    vue(),
    bitrix24UIPluginVite({
      router: false,
      // Its color-mode switch writes an inline script and reads localStorage: the portal's light
      // theme is enough here, and the pages' CSP allows no inline script.
      colorMode: false,
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: {
        settings: 'settings.html',
        'lead-tab': 'lead-tab.html',
        dashboard: 'dashboard.html',
      },
    },
  },
});
