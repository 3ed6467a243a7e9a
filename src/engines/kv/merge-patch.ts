/**
 * RFC 7396 JSON merge patch with the exact behaviour of the library Vault
 * and OpenBao use (evanphx/json-patch v5 MergePatch): members merge
 * recursively, `null` removes a member, any other value replaces; nulls are
 * pruned from a value only when it lands where nothing (or null) was, or
 * replaces a non-object, and inside arrays only object members are pruned.
 */
import { isGoObject, type GoObject, type GoValue } from '../go-value.js'

function pruneNulls (value: GoValue): void {
  if (isGoObject(value)) {
    pruneObjectNulls(value)
  } else if (Array.isArray(value)) {
    for (const item of value) if (item !== null) pruneNulls(item)
  }
}

function pruneObjectNulls (obj: GoObject): GoObject {
  for (const k of Object.keys(obj)) {
    if (obj[k] === null) delete obj[k]
    else pruneNulls(obj[k])
  }
  return obj
}

function merge (cur: GoValue, patch: GoValue): GoValue {
  if (!isGoObject(cur)) {
    pruneNulls(patch)
    return patch
  }
  if (!isGoObject(patch)) return patch
  mergeObjects(cur, patch)
  return cur
}

function mergeObjects (doc: GoObject, patch: GoObject): void {
  for (const k of Object.keys(patch)) {
    const v = patch[k]
    if (v === null) {
      delete doc[k]
    } else if (!Object.hasOwn(doc, k) || doc[k] === null) {
      pruneNulls(v)
      doc[k] = v
    } else {
      doc[k] = merge(doc[k], v)
    }
  }
}

/**
 * Apply `patch` to the object `doc` (both are consumed). A patch that is not
 * an object replaces the document (a `null` patch yields null).
 */
export function mergePatch (doc: GoObject, patch: GoValue): GoValue {
  if (!isGoObject(patch)) return patch
  mergeObjects(doc, patch)
  return doc
}
