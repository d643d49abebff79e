const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A whole page: the sample's few pages share this frame, with who is signed in (and a sign-out) on top. */
export function page(title: string, body: string, user?: string): string {
  const session = user
    ? `<p class="session">Signed in as <strong id="signed-in">${escapeHtml(user)}</strong> · <a href="/web/sign-out">Sign out</a></p>`
    : '<p class="session">Not signed in · <a href="/web">Sign in</a></p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)} · nestjs-genauth-mfa sample</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; color: #1d232a; }
  h1 { font-size: 1.6rem; } .note { background: #f2f5f8; border-left: 4px solid #4a7bd0; padding: .6rem 1rem; }
  button { font-size: 1rem; padding: .5rem 1.2rem; } code { background: #f2f5f8; padding: 0 .2rem; }
  .session { color: #5a6570; font-size: .9rem; text-align: right; }
</style>
</head>
<body>
${session}
${body}
</body>
</html>
`;
}
