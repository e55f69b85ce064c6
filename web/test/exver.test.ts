import { describe, expect, it } from 'vitest'
import exverOrder from '../../exver/src/test/resources/dev/hearth/exver/exver-order.tsv?raw'
import versionOrder from '../../exver/src/test/resources/dev/hearth/exver/version-order.tsv?raw'
import { compareExver, compareVersion, installKind, parseVersion } from '../src/sideload/exver'

/** The exver module's vector files (exver.md §5.1, §5.2), shared with the Java tests. */
function vectors(tsv: string): [string, string, string][] {
  return tsv
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.split('\t') as [string, string, string])
}

const sign = (r: string) => ({ '<': -1, '=': 0, '>': 1 })[r]

describe('exver ordering, on the Java module\'s vectors', () => {
  it('orders versions (§5.1)', () => {
    const cases = vectors(versionOrder)
    expect(cases.length).toBeGreaterThan(10)
    for (const [a, rel, b] of cases) {
      expect(compareVersion(parseVersion(a), parseVersion(b)), `${a} ${rel} ${b}`).toBe(sign(rel))
      expect(compareVersion(parseVersion(b), parseVersion(a)), `${b} vs ${a}`).toBe(-sign(rel)! || 0)
    }
  })

  it('orders extended versions (§5.2), and other flavors are not comparable', () => {
    for (const [a, rel, b] of vectors(exverOrder)) {
      expect(compareExver(a, b), `${a} ${rel} ${b}`).toBe(rel === 'incomparable' ? null : sign(rel))
    }
    expect(compareExver('#knots:29.1:2', '29.1:2')).toBeNull()
    expect(compareExver('#knots:29.1:2', '#knots:29.0:9')).toBe(1)
  })

  it('says what installing a file does', () => {
    expect(installKind('1.0.0:0', null)).toBe('install')
    expect(installKind('1.0.1:0', '1.0.0:0')).toBe('update')
    expect(installKind('1.0.0:0', '1.0.0:1')).toBe('downgrade')
    expect(installKind('1.0.0:0', '1.0.0.0:0.0')).toBe('reinstall')
    expect(installKind('#knots:29.1:0', '29.1:0')).toBe('switch')
  })
})
