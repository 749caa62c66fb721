/**
 * Drafts in watch mode: a post that becomes a draft leaves the served graph
 * and one that stops being a draft joins it, as the server was started.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { Json } from '../api/request.ts'
import { eventually, gql, type LiveServer, startLive } from './helpers.ts'

let live: LiveServer | undefined

afterEach(async () => {
  await live?.close()
  live = undefined
})

/** A post mentioning Kafka, a draft or not. */
function postText(title: string, draft: boolean): string {
  return `---\ntitle: ${title}\ndate: 2024-01-02\ndraft: ${draft}\n---\n### 1. Notes\n\n- We run \`Kafka\`\n`
}

const query = '{ posts { nodes { slug draft } } technology(slug: "kafka") { mentionCount } }'

/** Slugs served, with `*` after drafts, and Kafka's mention count. */
async function served(server: LiveServer): Promise<string> {
  const data = await gql(server.url, query)
  const slugs = data.posts.nodes.map((post: Json) => `${post.slug}${post.draft ? '*' : ''}`)
  return `${slugs.sort().join(' ')} / ${data.technology?.mentionCount ?? 0}`
}

describe('a watching server and drafts', () => {
  it('should hide a post saved as a draft and show it again when published', async () => {
    const changes: string[] = []
    live = await startLive(
      { 'a.md': postText('A', false), 'b.md': postText('B', false) },
      {
        onChange: (_graph, change) => {
          if (change.added.length + change.changed.length + change.removed.length === 0) return
          changes.push(
            `+${change.added.join()} ~${change.changed.join()} -${change.removed.join()}`,
          )
        },
      },
    )
    const server = live
    expect(await served(server)).toBe('a b / 2')
    await live.write('b.md', postText('B', true))
    await eventually(
      () => served(server),
      (value) => value === 'a / 1',
    )
    await live.write('b.md', postText('B', false))
    await eventually(
      () => served(server),
      (value) => value === 'a b / 2',
    )
    // Subscribers hear of a post leaving and coming back, not of a change.
    expect(changes).toEqual(['+ ~ -b.md', '+b.md ~ -'])
  })

  it('should serve drafts as they are saved when started with drafts', async () => {
    live = await startLive({ 'a.md': postText('A', false) }, { drafts: true })
    const server = live
    await live.write('b.md', postText('B', true))
    await eventually(
      () => served(server),
      (value) => value === 'a b* / 2',
    )
  })
})
