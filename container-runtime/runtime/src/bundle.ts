/**
 * Loads the package bundle as `require` would, from a one-byte copy of its source when one keeps
 * its meaning (see onebyte.ts: it saves the bundle's size again in heap, in every container).
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import * as vm from 'node:vm'
import { oneByteSource } from './onebyte'

const PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname']

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
  const module = { exports: {} as unknown, filename: path, id: path, loaded: false }
  compiled.call(module.exports, module.exports, createRequire(path), module, path, dirname(path))
  module.loaded = true
  return module.exports
}
