/**
 * Loads the package bundle as `require` would, from a one-byte copy of its source when one keeps
 * its meaning (see onebyte.ts: it saves the bundle's size again in heap, in every container).
 */
import { readFileSync } from 'node:fs'
import Module, { createRequire } from 'node:module'
import { dirname } from 'node:path'
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
  let compiled: Function
  try {
    compiled = vm.compileFunction(compact, PARAMETERS, {
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
  return module.exports
}
