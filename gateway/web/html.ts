/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A full HTML page using the shared stylesheet; `body` must already be escaped. */
export function page(
  title: string,
  body: string,
  options: { scripts?: string[]; bodyClass?: string } = {},
): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
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
