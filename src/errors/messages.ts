// Vault's exact error and warning texts that more than one module uses.
// Engine-specific texts live next to their engine; each quirk is noted.

/** Field coercion failure (sdk/framework field_data.go). */
export function fieldValidation (field: string, detail: string): string {
  return `Field validation failed: error converting input for field "${field}": ${detail}`
}

/** Warning for body or query fields no path declares (sdk/framework backend.go). */
export function ignoredParameters (names: string[]): string {
  return `Endpoint ignored these unrecognized parameters: [${[...names].sort().join(' ')}]`
}

/** Warning when a body field collides with a path capture. */
export function replacedParameters (names: string[]): string {
  return "Endpoint replaced the value of these parameters with the values captured from the endpoint's path: " +
    `[${[...names].sort().join(' ')}]`
}

export function noHandlerForRoute (path: string): string {
  return `no handler for route "${path}". route entry not found.`
}

export const WRITE_TO_TRAILING_SLASH = "cannot write to a path ending in '/'"
export const RELATIVE_PATHS = 'relative paths not supported'
export const BODY_TOO_LARGE = 'http: request body too large'
export const SEALED = 'Vault is sealed'

export function patchContentType (provided: string): string {
  return `PATCH requires Content-Type of application/merge-patch+json, provided ${provided}`
}
