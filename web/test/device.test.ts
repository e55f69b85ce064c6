import { describe, expect, it } from 'vitest'
import { deviceName } from '../src/app/device'

describe("a session's device, from its User-Agent", () => {
  it('names the browser and the system', () => {
    expect(deviceName('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36')).toBe('Headless Chrome · Linux')
    expect(deviceName('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0')).toBe('Firefox · Windows')
    expect(deviceName('Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1')).toBe('Safari · iOS')
    expect(deviceName('Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Mobile Safari/537.36')).toBe('Chrome · Android')
    expect(deviceName('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36 Edg/140.0')).toBe('Edge · macOS')
  })

  it('keeps what it cannot read, shortened, and has nothing for no header', () => {
    expect(deviceName('curl/8.5.0')).toBe('curl/8.5.0')
    expect(deviceName('x'.repeat(100))).toHaveLength(60)
    expect(deviceName(null)).toBeNull()
  })
})
