/**
 * GraphiQL's page and its assets, served from this server rather than a CDN
 * (so the playground works offline and behind strict networks), but not
 * inline: `@graphql-yoga/render-graphiql` puts 9 MB of scripts, styles and
 * workers into every page. Here the page is a few hundred bytes that link to
 * the same files at URLs named by a hash of their content, sent with
 * `Cache-Control: immutable` and compressed (brotli or gzip, as the browser
 * asks). A browser then fetches them once per version of the program.
 */
import { createHash } from 'node:crypto'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import * as sources from '@graphql-yoga/render-graphiql/graphiql'
import type { GraphiQLOptions, Plugin } from 'graphql-yoga'
import { type Encoding, negotiateEncoding } from './compression.ts'
import { matchesEtag } from './fast-path.ts'

/** Where the assets are served, under their hashed names. */
export const graphiqlAssetPrefix = '/graphiql/'

/** One asset: its URL path, media type and bytes, and their compressed forms. */
interface Asset {
  readonly path: string
  readonly type: string
  readonly body: Buffer
  readonly etag: string
  readonly encoded: Map<Encoding, Promise<Buffer>>
}

/** The assets by path, and the paths the page links to. */
interface Assets {
  readonly byPath: ReadonlyMap<string, Asset>
  readonly css: string
  readonly js: string
  readonly favicon: string
  readonly workers: { readonly editorWorkerService: string; json: string; graphql: string }
}

let built: Assets | undefined

/**
 * The GraphiQL assets, hashed once per process.
 *
 * @returns
 *   The assets by path and the paths of each.
 */
export function graphiqlAssets(): Assets {
  if (built) return built
  const byPath = new Map<string, Asset>()
  const add = (name: string, extension: string, type: string, body: Buffer) => {
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 16)
    const path = `${graphiqlAssetPrefix}${name}.${hash}.${extension}`
    byPath.set(path, {
      path,
      type,
      body,
      // Weak: one ETag for the identity, brotli and gzip forms alike.
      etag: `W/"${hash}"`,
      encoded: new Map(),
    })
    return path
  }
  const javascript = 'text/javascript; charset=utf-8'
  const faviconData = sources.favicon.replace(/^data:[^,]*;base64,/, '')
  built = {
    byPath,
    css: add('graphiql', 'css', 'text/css; charset=utf-8', Buffer.from(sources.css)),
    js: add('graphiql', 'js', javascript, Buffer.from(sources.js)),
    favicon: add('favicon', 'ico', 'image/x-icon', Buffer.from(faviconData, 'base64')),
    workers: {
      editorWorkerService: add(
        'editor.worker',
        'js',
        javascript,
        Buffer.from(sources.editorWorkerService),
      ),
      json: add('json.worker', 'js', javascript, Buffer.from(sources.jsonWorker)),
      graphql: add('graphql.worker', 'js', javascript, Buffer.from(sources.graphqlWorker)),
    },
  }
  return built
}

/**
 * Render the GraphiQL page: what yoga's `renderGraphiQL` option takes. The
 * scripts run in order, so the inline one finds `YogaGraphiQL` defined.
 *
 * @param options
 *   GraphiQL options from yoga (title, default query, endpoint, …).
 * @returns
 *   The HTML page.
 */
export function renderGraphiqlPage(options?: GraphiQLOptions): string {
  const assets = graphiqlAssets()
  const title = escapeHtml(options?.title ?? 'GraphiQL')
  // `<` escaped so that no option value can close the script element.
  const json = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c')
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${title}</title>
    <link rel="icon" href="${assets.favicon}" />
    <link rel="stylesheet" href="${assets.css}" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run this app.</noscript>
    <div id="root"></div>
    <script>
      self.MonacoEnvironment = {
        globalAPI: false,
        getWorkerUrl: function (moduleId, label) {
          return ${json(assets.workers)}[label];
        },
      };
    </script>
    <script src="${assets.js}"></script>
    <script>
      YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), ${json(options ?? {})});
    </script>
  </body>
</html>
`
}

/**
 * Serve the GraphiQL assets: immutable (their URLs change with their
 * content), compressed as the browser asks, `304` for a matching
 * `If-None-Match`.
 *
 * @returns
 *   A yoga plugin.
 */
export function useGraphiqlAssets(): Plugin {
  return {
    async onRequest({ url, request, endResponse, fetchAPI }) {
      if (!url.pathname.startsWith(graphiqlAssetPrefix)) return
      const asset = graphiqlAssets().byPath.get(url.pathname)
      if (!asset || (request.method !== 'GET' && request.method !== 'HEAD')) {
        endResponse(new fetchAPI.Response('Not found', { status: 404 }))
        return
      }
      const headers: Record<string, string> = {
        'content-type': asset.type,
        'cache-control': 'public, max-age=31536000, immutable',
        etag: asset.etag,
        vary: 'Accept-Encoding',
      }
      if (matchesEtag(request.headers.get('if-none-match'), asset.etag.slice(2))) {
        endResponse(new fetchAPI.Response(null, { status: 304, headers }))
        return
      }
      const encoding = negotiateEncoding(request.headers.get('accept-encoding'))
      let body: Buffer = asset.body
      if (encoding) {
        body = await encoded(asset, encoding)
        headers['content-encoding'] = encoding
      }
      headers['content-length'] = String(body.length)
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
          status: 200,
          headers,
        }),
      )
    },
  }
}

const brotli = promisify(brotliCompress)
const gzipAsync = promisify(gzip)

/**
 * An asset compressed once per process, off the main thread (zlib's thread
 * pool): brotli at quality 5, which for GraphiQL's 5 MB script gives 95% of
 * quality 11's saving in a fiftieth of its time.
 */
function encoded(asset: Asset, encoding: Encoding): Promise<Buffer> {
  let promise = asset.encoded.get(encoding)
  if (!promise) {
    promise =
      encoding === 'br'
        ? brotli(asset.body, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: 5,
              [constants.BROTLI_PARAM_SIZE_HINT]: asset.body.length,
            },
          })
        : gzipAsync(asset.body, { level: 9 })
    asset.encoded.set(encoding, promise)
  }
  return promise
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}
