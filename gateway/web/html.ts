/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A full HTML page using the shared stylesheet; `body` must already be escaped. */
export function page(
  title: string,
  body: string,
  options: { scripts?: string[]; bodyClass?: string; lang?: 'en' | 'id' } = {},
): string {
  return `<!doctype html>
<html lang="${options.lang ?? 'en'}">
<head>
<meta charset="utf-8">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · MediaShar</title>
<link rel="stylesheet" href="/assets/app.css">
${(options.scripts ?? []).map((s) => `<script type="module" src="${escapeHtml(s)}"></script>`).join('\n')}
</head>
<body class="${escapeHtml(options.bodyClass ?? '')}">
${body}
</body>
</html>`;
}

const SCRIPT_UNSAFE: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * A value as a `<script type="application/json" id="…">` data block for a page's script to read
 * with JSON.parse. Every `<`, `>` and `&` in the JSON is written as a \u escape, so no text a
 * streamer or donor controls can close the element (`</script>`) or open a comment (`<!--`); the
 * block is data, never run, so it needs no Content-Security-Policy exception. `id` must be a
 * fixed identifier (it is not escaped).
 */
export function jsonScript(id: string, value: unknown): string {
  const json = JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => SCRIPT_UNSAFE[c]!);
  return `<script type="application/json" id="${id}">${json}</script>`;
}
