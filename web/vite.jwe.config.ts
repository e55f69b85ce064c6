import { defineConfig } from 'vite'

// The setup password's encryption alone, as an ES module for Node: startd's BrowserEncryptionTest
// runs it and checks the daemon decrypts what the page sends.
export default defineConfig({
  build: {
    outDir: 'target/jwe',
    emptyOutDir: true,
    lib: { entry: 'src/setup/jwe.ts', formats: ['es'], fileName: () => 'jwe.mjs' },
  },
})
