/**
 * Loads the package bundle as `require` would, from a one-byte copy of its source when one keeps
 * its meaning (see onebyte.ts: it saves the bundle's size again in heap, in every container).
 *
 * That copy is written to a file and handed to V8 as an external string over a read-only mapping
 * of it (native/source.c), so that its 2.6 MB are page cache rather than heap: clean, reclaimable,
 * and out of the process's memory once `releaseSource` has dropped its page table entries. Without
 * the addon, or if anything about the file fails, the copy stays in the heap as before.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import Module, { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import * as vm from 'node:vm'
import { oneByteSource } from './onebyte'

const PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname']

/** The parts of node's CommonJS loader that `require` itself uses for a file. */
interface Loader {
  _cache: Record<string, Module>
  _nodeModulePaths(dir: string): string[]
}

export function loadBundle(path: string): unknown {
  const source = readFileSync(path, 'utf8')
  const compact = oneByteSource(source)
  if (compact === source) return require(path)
  const text = mapped(compact) ?? compact
  let compiled: Function
  try {
    compiled = vm.compileFunction(text, PARAMETERS, {
      filename: path,
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    } as vm.CompileFunctionOptions)
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e
    console.error(`${path}: loading the source as written (${e.message} in its one-byte copy)`)
    return require(path)
  }
  // A real module in require's cache, as require would make it: a require of the bundle's own
  // file, from within or later, gets this module rather than loading a second copy.
  const loader = Module as unknown as Loader
  const module = new Module(path, require.main)
  module.filename = path
  module.paths = loader._nodeModulePaths(dirname(path))
  loader._cache[path] = module
  try {
    compiled.call(module.exports, module.exports, createRequire(path), module, path, dirname(path))
  } catch (e) {
    delete loader._cache[path] // as require does: a later require tries again
    throw e
  }
  module.loaded = true
  releaseSource()
  return module.exports
}

/** native/source.c, built beside this file. */
interface Native {
  map(path: string): string
  release(): void
}

let native: Native | null | undefined

function addon(): Native | null {
  if (native === undefined) {
    const module = { exports: {} as Native }
    try {
      process.dlopen(module, join(__dirname, 'source.node'))
      native = module.exports
    } catch (e) {
      console.error(`source.node: not loaded, bundle sources stay in the heap (${String(e)})`)
      native = null
    }
  }
  return native
}

/** `text` as an external string over a file mapping, or null to keep it in the heap. */
function mapped(text: string): string | null {
  if (/[^\x00-\xff]/.test(text)) return null // Latin-1 only
  const n = addon()
  if (n === null) return null
  // Unlinked once mapped: the mapping keeps the file, and nothing is left behind.
  const file = join(tmpdir(), `hearth-bundle-${process.pid}-${Date.now()}.js`)
  try {
    writeFileSync(file, Buffer.from(text, 'latin1'), { flag: 'wx', mode: 0o400 })
    return n.map(file)
  } catch (e) {
    console.error(`source.node: the bundle's source stays in the heap (${String(e)})`)
    return null
  } finally {
    rmSync(file, { force: true })
  }
}

/**
 * Drops this process's page table entries of the mapped sources, after loading and after the
 * bundle's entry points ran (which compile the functions they use): what V8 reads again later
 * comes back from the page cache.
 */
export function releaseSource(): void {
  native?.release()
}
