// The screens (tablet, console, dashboard): one React app, built to static files that the api
// serves at `/` (apps/api/src/bootstrap.ts). `npm run build` writes dist/web; the browser tests
// build into a folder of their own with `--outDir`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  resolve: {
    alias: {
      '@liexi/contracts': here('../../libs/contracts/src/index.ts'),
      '@liexi/client': here('../../libs/client/src/index.ts'),
    },
  },
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: here('../../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 800,
  },
  logLevel: 'warn',
});
