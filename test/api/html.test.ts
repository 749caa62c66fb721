import { describe, expect, it } from 'vitest'
import { markdownToHtml } from '../../src/api/html.ts'

describe('markdownToHtml', () => {
  it('should render GitHub-flavored Markdown', () => {
    expect(markdownToHtml('**bold** and `code`')).toBe(
      '<p><strong>bold</strong> and <code>code</code></p>',
    )
    expect(markdownToHtml('| a |\n| - |\n| 1 |')).toContain('<td>1</td>')
    expect(markdownToHtml('see https://example.com')).toContain('<a href="https://example.com">')
    expect(markdownToHtml('')).toBe('')
  })

  it('should drop scripts, event handlers and javascript: URLs', () => {
    const html = markdownToHtml(
      '<script>alert(1)</script>\n\nText <img src="x" onerror="alert(2)"> [link](javascript:alert(3)) ![i](javascript:alert(4))\n\n<a href="https://e.com" onclick="alert(5)">raw</a>',
    )
    expect(html).not.toMatch(/<script|onerror|onclick|javascript:|alert/i)
    expect(html).toContain('Text')
    expect(html).toContain('>link</a>')
  })

  it('should give the same HTML for the same Markdown, from its cache or not', () => {
    const markdown = '# Title\n\n- one\n- two'
    const first = markdownToHtml(markdown)
    expect(markdownToHtml(markdown)).toBe(first)
    expect(first).toBe('<h1>Title</h1>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>')
  })
})
