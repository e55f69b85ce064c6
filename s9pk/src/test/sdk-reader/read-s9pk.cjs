// Opens a package with the official SDK's reader (S9pk.deserialize from its bundled start-core),
// verifies every file it can reach, and prints what it read as JSON for a test to compare.
// Usage: node read-s9pk.cjs FILE   (run where node_modules has @start9labs/start-sdk)
'use strict'
const fs = require('node:fs')
const { S9pk } = require('@start9labs/start-sdk')

async function walk(dir, prefix, out) {
  for (const [name, entry] of Object.entries(dir.contents)) {
    const path = prefix + name
    if (entry.contents === null) {
      out[path] = { missing: true }
    } else if (entry.contents.contents && typeof entry.contents.getPath === 'function') {
      await walk(entry.contents, path + '/', out)
    } else {
      const bytes = Buffer.from(await entry.verifiedFileContents())
      out[path] = { size: bytes.length, base64: bytes.length <= 65536 ? bytes.toString('base64') : null }
    }
  }
}

async function main() {
  const blob = await fs.openAsBlob(process.argv[2])
  const s9pk = await S9pk.deserialize(blob, null)
  const files = {}
  await walk(s9pk.archive.contents, '', files)
  const out = {
    manifest: s9pk.manifest,
    icon: await s9pk.icon(),
    license: await s9pk.license(),
    instructions: await s9pk.instructions(),
    files,
  }
  process.stdout.write(JSON.stringify(out))
}

main().catch((e) => {
  console.error(String(e && e.stack ? e.stack : e))
  process.exit(1)
})
