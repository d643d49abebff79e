/**
 * A parser of `WWW-Authenticate` written from RFC 9110 §11.6.1 and §5.6, to check challenges by their
 * structure rather than by string equality:
 *
 *   WWW-Authenticate = #challenge
 *   challenge        = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *   auth-param       = token BWS "=" BWS ( token / quoted-string )
 *   token            = 1*tchar ; quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
 *
 * It throws on anything the grammar does not allow. Parameter names are case-insensitive (lower-cased here).
 */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

const TCHAR = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;

export function parseWwwAuthenticate(header: string): Challenge[] {
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(`not a WWW-Authenticate value (${what} at ${at}): ${header}`);
  };
  const ows = () => {
    while (header[at] === ' ' || header[at] === '\t') at += 1;
  };
  const token = () => {
    const start = at;
    while (at < header.length && TCHAR.test(header[at]!)) at += 1;
    if (at === start) fail('a token');
    return header.slice(start, at);
  };
  const quoted = () => {
    at += 1;
    let value = '';
    while (header[at] !== '"') {
      if (at >= header.length) fail('an unterminated quoted-string');
      if (header[at] === '\\') at += 1;
      const char = header[at]!;
      // eslint-disable-next-line no-control-regex -- qdtext excludes control characters but HTAB
      if (/[\x00-\x08\x0a-\x1f\x7f]/.test(char)) fail('a control character');
      value += char;
      at += 1;
    }
    at += 1;
    return value;
  };
  const challenges: Challenge[] = [];
  while (at < header.length) {
    ows();
    if (header[at] === ',') {
      at += 1;
      continue;
    }
    const challenge: Challenge = { scheme: token(), params: {} };
    challenges.push(challenge);
    if (header[at] === ' ') {
      ows();
      // One or more auth-params, comma-separated, until the next challenge's scheme.
      for (;;) {
        const mark = at;
        if (at >= header.length || !TCHAR.test(header[at]!)) break;
        const name = token().toLowerCase();
        ows();
        if (header[at] !== '=') {
          at = mark;
          break;
        }
        at += 1;
        ows();
        if (name in challenge.params) fail(`a repeated parameter ${name}`);
        challenge.params[name] = header[at] === '"' ? quoted() : token();
        ows();
        if (header[at] !== ',') break;
        at += 1;
        ows();
      }
    }
    ows();
    if (at < header.length && header[at] !== ',') fail('a separator');
  }
  if (challenges.length === 0) fail('a challenge');
  return challenges;
}
