/**
 * The start-up floor: plain node:http answering sys/health, no framework.
 * Start-up of localvault is reported next to it, since on a busy machine
 * even this takes a good part of the budget. Run: `node dist/bench/floor.js <port>`.
 */
import http from 'node:http'

const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end('{"initialized":true,"sealed":false}')
})
server.listen(Number(process.argv[2] ?? '0'), '127.0.0.1')
const shutdown = (): void => { server.close(() => process.exit(0)) }
process.on('SIGTERM', shutdown)
process.on('SIGINT', shutdown)
