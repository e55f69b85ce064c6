import preact from '@preact/preset-vite'
import { defineConfig } from 'vite'

// The dashboard budget's page (bench/dashboard.html): built for `make bench` only.
export default defineConfig({
  plugins: [preact()],
  root: 'bench',
  base: './',
  build: {
    outDir: '../target/bench-dashboard',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    rollupOptions: { input: 'dashboard.html' },
  },
})
