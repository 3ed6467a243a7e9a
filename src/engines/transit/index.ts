// Transit: Vault's encryption-as-a-service engine (keys, encrypt/decrypt, sign/verify, HMAC, BYOK).
import type { Engine, EngineContext, EngineFactory, PathSpec } from '../engine.js'
import { Keyring } from './keyring.js'
import type { TransitContext } from './paths/common.js'
import { configPaths } from './paths/config.js'
import { configKeysPaths } from './paths/config-keys.js'
import { datakeyPaths } from './paths/datakey.js'
import { decryptPaths } from './paths/decrypt.js'
import { encryptPaths } from './paths/encrypt.js'
import { keysPaths } from './paths/keys.js'
import { rewrapPaths } from './paths/rewrap.js'
import { rotateKey, rotatePaths } from './paths/rotate.js'
import { trimPaths } from './paths/trim.js'
import { backupPaths } from './paths/backup.js'
import { cacheConfigPaths } from './paths/cache-config.js'
import { exportPaths } from './paths/export.js'
import { hashPaths } from './paths/hash.js'
import { hmacPaths } from './paths/hmac.js'
import { importPaths } from './paths/import.js'
import { randomPaths } from './paths/random.js'
import { restorePaths } from './paths/restore.js'
import { signPaths } from './paths/sign.js'

/** Rotate every key whose auto_rotate_period has passed since its latest version was created. */
function autoRotate (ctx: TransitContext, now: number, inFlight: Set<string>): void {
  for (const name of ctx.keyring.autoRotateNames()) {
    if (inFlight.has(name)) continue
    const p = ctx.keyring.get(name)
    if (p === undefined) continue
    const d = p.data
    if (d.autoRotatePeriod === 0 || (d.imported && !d.allowImportedKeyRotation) || d.softDeleted) continue
    const latest = d.keys[String(d.latestVersion)]
    if (latest === undefined) continue
    const created = Date.parse(latest.time)
    if (!(now > created + d.autoRotatePeriod * 1000)) continue
    inFlight.add(name)
    rotateKey(ctx, name)
      .then(() => { ctx.log.debug({ key: name }, 'transit key auto-rotated') })
      .catch((err: unknown) => { ctx.log.error({ err, key: name }, 'transit auto-rotation failed') })
      .finally(() => inFlight.delete(name))
  }
}

export const transitFactory: EngineFactory = (engineCtx: EngineContext): Engine => {
  const ctx: TransitContext = {
    keyring: new Keyring(engineCtx.storage),
    clock: engineCtx.clock,
    random: engineCtx.random,
    log: engineCtx.log,
    flavor: engineCtx.flavor,
    storage: engineCtx.storage
  }
  const inFlight = new Set<string>()
  const paths: PathSpec[] = [
    ...rotatePaths(ctx),
    ...rewrapPaths(ctx),
    ...importPaths(ctx),
    ...keysPaths(ctx),
    ...exportPaths(ctx),
    ...configPaths(ctx),
    ...encryptPaths(ctx),
    ...decryptPaths(ctx),
    ...datakeyPaths(ctx),
    ...randomPaths(ctx),
    ...hashPaths(),
    ...hmacPaths(ctx),
    ...signPaths(ctx),
    ...backupPaths(ctx),
    ...restorePaths(ctx),
    ...trimPaths(ctx),
    ...cacheConfigPaths(ctx),
    ...configKeysPaths(ctx)
  ]
  return {
    paths,
    tick: (now) => autoRotate(ctx, now, inFlight),
    cleanup: () => ctx.keyring.clear()
  }
}
