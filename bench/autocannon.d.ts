// The slice of autocannon's API the benchmark uses (it ships no types).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'

  interface AutocannonRequest {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string
  }

  interface AutocannonOptions {
    url: string
    connections?: number
    duration?: number
    amount?: number
    timeout?: number
    headers?: Record<string, string>
    requests?: AutocannonRequest[]
  }

  interface AutocannonResult {
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    '2xx': number
    requests: { total: number }
  }

  interface Instance extends EventEmitter {
    stop: () => void
  }

  function autocannon (opts: AutocannonOptions,
    cb: (err: Error | null, result: AutocannonResult) => void): Instance

  export default autocannon
}
