import imported from './imported.json' with { type: 'json' }

/**
 * Everyday English words, lowercase: said at least 100 times in the 51
 * million words of SUBTLEX-US film subtitles (written into `imported.json` by
 * `npm run catalog`). A catalog name that is one of them needs evidence; a
 * code span that is one of them (`server`) is code, not a name.
 */
export const commonWords: ReadonlySet<string> = new Set(
  (imported as { commonWords: string[] }).commonWords,
)
