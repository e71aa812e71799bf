import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ENV_VARS } from '../src/config.js'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

describe('README', () => {
  it.each(Object.entries(ENV_VARS))('documents %s (%s) in the configuration reference', (name, path) => {
    expect(readme).toContain(`| \`${name}\` | \`${path}\` |`)
  })

  it('gives the two set-up commands, and .ci/run runs the test one', () => {
    expect(readme).toContain('npm install && npm start')
    expect(readme).toContain('npm install && npm test')
    const ci = readFileSync(new URL('../.ci/run', import.meta.url), 'utf8')
    expect(ci).toMatch(/npm install[^\n]*\n(.*\n)*npm test/)
  })
})
