import type { Nodes } from 'mdast'
import type { Catalog, MatchContext } from '../model/catalog.ts'
import { technologiesInCodeSpan } from './code-span.ts'

/**
 * The block a text node sits in (a list item's own content, a paragraph, a
 * heading), as the catalog's evidence for ambiguous names needs it: its whole
 * plain text, where each text node starts in it, and whether a code span in
 * it names a technology. Built on first use: most blocks name nothing
 * ambiguous and never ask.
 */
export class MentionContext {
  readonly #nodes: readonly Nodes[]
  readonly #catalog: Catalog
  readonly #topic: string
  readonly #named: () => ReadonlySet<string>
  #text: string | undefined
  readonly #offsets = new Map<Nodes, number>()
  #beside = false

  /**
   * @param nodes
   *   The block's own content, in order (nested lists of a list item excluded).
   * @param catalog
   *   Catalog that resolves code spans.
   * @param topic
   *   The post's title: a name in it (`RustConf`) is evidence.
   * @param named
   *   Slugs of the entries the post names in code spans, asked for only
   *   when some text needs evidence.
   */
  constructor(
    nodes: readonly Nodes[],
    catalog: Catalog,
    topic: string,
    named: () => ReadonlySet<string>,
  ) {
    this.#nodes = nodes
    this.#catalog = catalog
    this.#topic = topic
    this.#named = named
  }

  /**
   * The context for one text node of the block.
   *
   * @param node
   *   A text node of the block.
   * @returns
   *   What `Catalog.matchText` takes.
   */
  of(node: Nodes): MatchContext {
    if (this.#text === undefined) this.#read()
    const at = this.#offsets.get(node)
    const topic = this.#topic
    const named = this.#named
    if (at === undefined || this.#text === undefined) return { beside: this.#beside, topic, named }
    return { block: this.#text, at, beside: this.#beside, topic, named }
  }

  #read() {
    let text = ''
    const visit = (node: Nodes) => {
      switch (node.type) {
        case 'text':
          this.#offsets.set(node, text.length)
          text += node.value
          return
        case 'inlineCode':
          if (technologiesInCodeSpan(node.value, this.#catalog).some((named) => named.entry))
            this.#beside = true
          text += node.value
          return
        case 'break':
          text += '\n'
          return
        case 'list':
        case 'code':
        case 'html':
          return
        default:
          break
      }
      if ('children' in node) for (const child of node.children as Nodes[]) visit(child)
    }
    for (const node of this.#nodes) visit(node)
    this.#text = text
  }
}
