import type { Page } from 'playwright-core'

/**
 * How long a browser test waits for the page to reach a state (a text, an attribute, a count)
 * with `expect.poll(fn, UI_WAIT)`. Generous, because when several e2e files run at once on two
 * cores one round trip can take seconds (vitest's default is 1 s); a wait ends as soon as the
 * state holds, so a passing run is no slower.
 */
export const UI_WAIT = { timeout: 15_000 } as const

/** The series line colour of the dashboard's charts (web/src/components/TimeChart.tsx). */
const LINE_RGB = [0x57, 0x94, 0xf2]

/**
 * Counts canvas pixels close to the series line colour: only a drawn data line makes
 * them (axes, grid and the expected-range lines have other colours).
 */
export async function linePixels(page: Page, selector: string): Promise<number> {
  return page.$eval(
    selector,
    (root, rgb) => {
      const canvas = root.querySelector('canvas')
      const ctx = canvas?.getContext('2d')
      if (!canvas || !ctx) return 0
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height)
      let n = 0
      for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - rgb[0]!) < 40 && Math.abs(data[i + 1]! - rgb[1]!) < 40 && Math.abs(data[i + 2]! - rgb[2]!) < 40) n++
      return n
    },
    LINE_RGB,
  )
}
