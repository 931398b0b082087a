// Two pages from one build: the operations console (/) and the resident portal (/m). The Anju
// server serves dist/ itself; hashed names under assets/ let it cache them for good.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      input: {
        console: resolve(__dirname, 'index.html'),
        portal: resolve(__dirname, 'm/index.html'),
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
