import preact from '@preact/preset-vite'
import { defineConfig } from 'vite'

// The build startd serves (its CSP allows scripts, styles and images from itself only): no
// inlined assets, no inline script.
export default defineConfig({
  plugins: [preact()],
  build: {
    outDir: 'dist',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
})
