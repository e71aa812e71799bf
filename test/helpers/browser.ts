/**
 * How long a browser test waits for the page to reach a state (a text, an attribute, a count)
 * with `expect.poll(fn, UI_WAIT)`. Generous, because when several e2e files run at once on two
 * cores one round trip can take seconds (vitest's default is 1 s); a wait ends as soon as the
 * state holds, so a passing run is no slower.
 */
export const UI_WAIT = { timeout: 15_000 } as const
