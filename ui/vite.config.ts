/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import tailwind from '@tailwindcss/vite'
import { serviceWorker } from './scripts/sw-plugin.ts'

// The build lands in ../embed/dist, which the Go binary embeds and which is
// committed: output must be deterministic (content hashes only, no dates),
// so CI can rebuild and compare byte for byte.
export default defineConfig({
  plugins: [react(), tailwind(), serviceWorker()],
  build: {
    outDir: '../embed/dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8090',
      '/_': 'http://127.0.0.1:8090',
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test-setup.ts'],
    restoreMocks: true,
  },
})
