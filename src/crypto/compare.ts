import { createHash, timingSafeEqual } from 'node:crypto'

/**
 * Compare two strings in constant time (for the lengths): both sides are
 * hashed first so neither the content nor the length leaks through timing.
 */
export function safeEqual (a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest()
  const hb = createHash('sha256').update(b).digest()
  return timingSafeEqual(ha, hb)
}
