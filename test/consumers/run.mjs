#!/usr/bin/env node
// The consumer matrix: packs the library as `npm pack` does for a release, installs the tarball with a
// plain `npm install` into fresh apps outside the workspace, builds and tests each app with its own
// toolchain, then starts it against `npx genauth-emulator --demo` and checks guarded routes over HTTP.
//
//   node test/consumers/run.mjs [app ...]     (KEEP=1 keeps the apps under the printed folder)
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createConnection, createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const APPS = join(ROOT, 'test', 'consumers', 'apps');
const MINUTE = 60_000;
/** The test runners' terminal colors, taken out of their summaries. */
// eslint-disable-next-line no-control-regex -- the escape character is what this matches
const COLORS = /\x1b\[[0-9;]*m/g;
/** alice's TOTP secret in the demo pool (the README prints it). */
const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/**
 * The apps. `files: 'common'` copies apps/common/src; `readme` takes its main.ts only, and the rest from
 * the README's guide. Every app then takes the blocks the README and docs/ mark for it
 * (`<!-- consumer: APP[,APP...] PATH -->` before a code block; PATH `install` is the npm install line), so
 * that the guides are tested exactly as written. `pins` are installed last: the lowest peers an app tests.
 */
const MATRIX = [
  { app: 'nest12-esm', what: 'Nest 12, ES modules, vitest', files: 'common', test: true, probe: vaultProbe },
  { app: 'nest12-cjs', what: "Nest 12, CommonJS, the README's five-minute guide", files: 'readme', probe: guideProbe },
  {
    app: 'nest11-cjs',
    what: 'Nest 11, CommonJS (as nest new 11), jest',
    files: 'common',
    test: true,
    probe: vaultProbe,
  },
  {
    app: 'nest11-esm',
    what: 'Nest 11, ES modules, lowest peer majors',
    files: 'common',
    probe: vaultProbe,
    pins: ['axios@1.7.0', 'class-validator@0.14.1', 'class-transformer@0.5.1', 'reflect-metadata@0.1.14'],
  },
];

const only = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), 'genauth-mfa-consumers-'));
const results = [];
try {
  const tarball = await pack();
  await checkTarball(tarball);
  const blocks = readmeBlocks();
  for (const entry of MATRIX.filter((e) => only.length === 0 || only.includes(e.app))) {
    const started = Date.now();
    try {
      await runApp(entry, tarball, blocks);
      results.push({ ...entry, ok: true, seconds: (Date.now() - started) / 1000 });
    } catch (error) {
      results.push({ ...entry, ok: false, seconds: (Date.now() - started) / 1000, error });
    }
  }
} finally {
  if (process.env.KEEP) console.log(`apps kept under ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
for (const r of results) {
  console.log(`${r.ok ? 'PASS' : 'FAIL'} ${r.app} (${r.what}) in ${r.seconds.toFixed(0)} s`);
  if (!r.ok) console.log(indent(String(r.error?.message ?? r.error)));
}
const failed = results.filter((r) => !r.ok).length;
console.log(`consumers: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 && results.length > 0 ? 0 : 1);

async function pack() {
  const out = await run('npm', ['pack', '--workspace', 'lib', '--pack-destination', work, '--json'], ROOT);
  const [{ filename }] = JSON.parse(out.slice(out.indexOf('[')));
  return join(work, filename);
}

/** What ships: README, LICENSE, one ES module build with types, no maps to unshipped sources. */
async function checkTarball(tarball) {
  const files = (await run('tar', ['tzf', tarball], work)).split('\n').filter(Boolean);
  for (const needed of [
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
    'package.json',
    'bin/genauth-emulator.js',
    'bin/genauth-mfa.js',
    'dist/index.js',
  ]) {
    if (!files.includes(`package/${needed}`)) throw new Error(`the tarball lacks ${needed}`);
  }
  const stray = files.filter((f) => /\.(map|cjs|mjs|ts)$/.test(f) && !f.endsWith('.d.ts'));
  if (stray.length) throw new Error(`the tarball ships ${stray.join(', ')}`);
  // node16-from-CJS is reported as "ESM (dynamic import only)": Node >= 20.19 require()s ES modules, and
  // TypeScript >= 5.8 allows it under module nodenext; the matrix's CommonJS apps prove both.
  await run(join(ROOT, 'node_modules', '.bin', 'attw'), [tarball, '--ignore-rules', 'cjs-resolves-to-esm'], ROOT);
  console.log(`packed ${files.length} files; attw: types resolve under node10, node16 and bundler`);
}

function readmeBlocks() {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f));
  const blocks = [];
  const pattern = /<!-- consumer: (\S+) (\S+) -->\s*\n\s*```\w*\n([\s\S]*?)\n\s*```/g;
  for (const file of ['README.md', ...docs]) {
    for (const [, apps, path, body] of readFileSync(join(ROOT, file), 'utf8').matchAll(pattern)) {
      const margin = /^ */.exec(body)[0].length;
      const text =
        body
          .split('\n')
          .map((line) => line.slice(margin))
          .join('\n') + '\n';
      for (const app of apps.split(',')) blocks.push({ app, path, text, file });
    }
  }
  for (const entry of MATRIX) {
    if (!blocks.some((b) => b.app === entry.app && b.path === 'install')) {
      throw new Error(
        `no install line in README.md or docs/ for ${entry.app} (<!-- consumer: ${entry.app} install -->)`,
      );
    }
  }
  return blocks;
}

async function runApp(entry, tarball, blocks) {
  console.log(`\n== ${entry.app}: ${entry.what}`);
  const dir = join(work, entry.app);
  cpSync(join(APPS, entry.app), dir, { recursive: true });
  if (entry.files === 'common') cpSync(join(APPS, 'common', 'src'), join(dir, 'src'), { recursive: true });
  else cpSync(join(APPS, 'common', 'src', 'main.ts'), join(dir, 'src', 'main.ts'));
  const mine = blocks.filter((b) => b.app === entry.app);
  for (const block of mine.filter((b) => b.path !== 'install')) {
    mkdirSync(dirname(join(dir, block.path)), { recursive: true });
    writeFileSync(join(dir, block.path), block.text);
  }
  // The app's own dependencies, then the guide's install line verbatim (the package name read as the tarball).
  const install = mine.find((b) => b.path === 'install');
  await run('npm', ['install', '--no-audit', '--no-fund'], dir, 10 * MINUTE);
  const words = install.text.trim().split(/\s+/);
  if (words[0] !== 'npm' || words[1] !== 'install') throw new Error(`${install.file} install line: ${install.text}`);
  const args = words.slice(2).map((w) => (w === 'nestjs-genauth-mfa' ? tarball : w));
  await run('npm', ['install', '--no-audit', '--no-fund', ...args], dir, 10 * MINUTE);
  console.log(`   installed with ${install.file}'s line: ${install.text.trim()}`);
  if (entry.pins) await run('npm', ['install', '--no-audit', '--no-fund', ...entry.pins], dir, 10 * MINUTE);
  const versions = await run(
    'node',
    [
      '-p',
      "['@nestjs/core','@nestjs/config','class-validator','axios','reflect-metadata','typescript'].map(p => p + '@' + (require('fs').existsSync('node_modules/' + p) ? JSON.parse(require('fs').readFileSync('node_modules/' + p + '/package.json', 'utf8')).version : 'absent')).join(' ')",
    ],
    dir,
  );
  console.log(`   installed: ${versions.trim()}`);
  if (entry.files === 'readme') {
    // The guide's app installs only what the README's line names: the library needs none of its optional peers.
    const present = ['axios', 'class-validator', 'class-transformer', '@nestjs/axios'].filter((p) =>
      existsSync(join(dir, 'node_modules', p)),
    );
    if (present.length > 0) throw new Error(`the README's install brought optional peers: ${present.join(', ')}`);
    console.log('   no axios, class-validator or class-transformer installed');
  }
  await run('npm', ['run', 'build'], dir, 5 * MINUTE);
  console.log('   built');
  if (entry.test) {
    const output = await run('npm', ['test'], dir, 5 * MINUTE);
    const counts = output
      .replace(COLORS, '')
      .match(/^\s*Tests:?\s+(.*)$/m)?.[1]
      ?.trim();
    console.log(`   its own tests passed (${counts ?? 'no count printed'})`);
  }
  await singleCopy(dir);
  console.log('   one copy of every class (require and import give the same objects)');
  // The README's command; the linked bin is checked first, so that npx never turns to the registry.
  if (!existsSync(join(dir, 'node_modules', '.bin', 'genauth-emulator'))) throw new Error('no genauth-emulator bin');
  // The last line of the block (--demo always has an application): every variable has arrived.
  const emulator = await startProcess('npx', ['genauth-emulator', '--demo'], dir, {}, /^GENAUTH_APP_ID=/);
  try {
    const env = Object.fromEntries(
      emulator.lines
        .filter((l) => /^GENAUTH_[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    // The apps built from apps/common run HTTP and a TCP microservice together (src/hybrid.ts).
    const rpcPort = await freePort();
    const main = entry.files === 'common' ? 'dist/hybrid.js' : 'dist/main.js';
    const app = await startProcess(
      'node',
      [main],
      dir,
      { ...env, PORT: '0', RPC_PORT: String(rpcPort) },
      /^listening on /,
    );
    try {
      const url = app.lines.find((l) => l.startsWith('listening on ')).slice('listening on '.length);
      await entry.probe(url, env, emulator.lines, dir);
      if (entry.files === 'common') {
        await rpcProbe(rpcPort);
        console.log('   the TCP microservice answers as it should (RpcException bodies)');
      }
      console.log('   guarded routes answer as they should against npx genauth-emulator');
    } finally {
      await app.stop();
    }
    await auditProbe(dir, env);
  } finally {
    await emulator.stop();
  }
}

/** docs/audit.md's command, from the installed package: every demo user once, with what they have bound. */
async function auditProbe(dir, env) {
  if (!existsSync(join(dir, 'node_modules', '.bin', 'genauth-mfa'))) throw new Error('no genauth-mfa bin');
  const output = await run('npx', ['genauth-mfa', 'audit', '--format', 'jsonl', '--quiet'], dir, MINUTE, env);
  const rows = output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
  const totp = Object.fromEntries(rows.map((row) => [row.userId, row.bound?.TOTP]));
  if (rows.length !== 4 || totp.alice !== true || totp.dave !== false || !/summary: 4 users/.test(output)) {
    throw new Error(`npx genauth-mfa audit:\n${tail(output)}`);
  }
  console.log('   npx genauth-mfa audit lists the 4 demo users with their factors');
}

async function singleCopy(dir) {
  const script = `
    const main = require('nestjs-genauth-mfa');
    const testing = require('nestjs-genauth-mfa/testing');
    Promise.all([import('nestjs-genauth-mfa'), import('nestjs-genauth-mfa/testing')]).then(([m, t]) => {
      const same = ['MfaModule', 'MfaManagementService', 'MfaGuard', 'MFA_BINDING_CACHE', 'GenAuthError'].every((k) => m[k] === main[k] && main[k] !== undefined);
      if (!same || t.GenAuthEmulator !== testing.GenAuthEmulator) { console.error('two copies'); process.exit(1); }
    });`;
  await run('node', ['-e', script], dir);
}

async function vaultProbe(url) {
  await expectStatus(url, '/vault/public', {}, 200);
  await expectStatus(url, '/vault/totp', { 'x-user-id': 'alice' }, 200);
  const denied = await expectStatus(url, '/vault/totp', { 'x-user-id': 'dave' }, 403);
  if (denied.code !== 'MFA_NOT_BOUND') throw new Error(`403 body: ${JSON.stringify(denied)}`);
  await expectStatus(url, '/vault/totp', {}, 401);
}

/** Nest's TCP transport by hand: `length#json` frames, a reply with `response` or `err`. */
async function rpcProbe(port) {
  const send = (data) =>
    new Promise((resolve, reject) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      const timer = setTimeout(() => socket.destroy(new Error('no RPC reply within 10 s')), 10_000);
      let buffer = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk) => {
        buffer += chunk;
        const hash = buffer.indexOf('#');
        const length = Number(buffer.slice(0, hash));
        if (hash < 0 || buffer.length - hash - 1 < length) return;
        clearTimeout(timer);
        socket.end();
        resolve(JSON.parse(buffer.slice(hash + 1, hash + 1 + length)));
      });
      socket.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      const frame = JSON.stringify({ pattern: 'vault.totp', data, id: '1' });
      socket.write(`${frame.length}#${frame}`);
    });
  const allowed = await send({ user: { id: 'alice' } });
  if (allowed.response?.secret !== 'behind TOTP') throw new Error(`RPC alice: ${JSON.stringify(allowed)}`);
  const denied = await send({ user: { id: 'dave' } });
  if (denied.err?.code !== 'MFA_NOT_BOUND') throw new Error(`RPC dave: ${JSON.stringify(denied)}`);
  const anonymous = await send({});
  if (anonymous.err?.code !== 'MFA_USER_UNRESOLVED') throw new Error(`RPC anonymous: ${JSON.stringify(anonymous)}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function guideProbe(url, env, emulatorLines, dir) {
  const as = async (user) => ({ authorization: `Bearer ${await signIn(env, user)}` });
  await expectStatus(url, '/payments', await as('alice'), 201, 'POST');
  const denied = await expectStatus(url, '/payments', await as('dave'), 403, 'POST');
  if (denied.enrollmentUrl !== 'https://app.example.com/settings/mfa')
    throw new Error(`403 body: ${JSON.stringify(denied)}`);
  await expectStatus(url, '/payments/payees', await as('bob'), 201, 'POST');
  await expectStatus(url, '/payments/payees', await as('alice'), 403, 'POST');
  // GenAuthAuthGuard's refusals carry their code.
  const missing = await expectStatus(url, '/payments', {}, 401, 'POST');
  const malformed = await expectStatus(url, '/payments', { authorization: 'Bearer not-a-genauth-token' }, 401, 'POST');
  if (missing.code !== 'AUTH_TOKEN_MISSING' || malformed.code !== 'AUTH_TOKEN_MALFORMED')
    throw new Error(`GenAuthAuthGuard's 401s: ${JSON.stringify([missing, malformed])}`);
  await stepUpProbe(url, await as('alice'));
  for (const [factor, to] of [
    ['SMS', '+8613800000002'],
    ['EMAIL', 'bob@example.com'],
  ])
    await codeStepUpProbe(url, await as('bob'), factor, to, emulatorLines);
  await passkeyProbe(url, as, dir);
}

/**
 * alice adds a passkey after a TOTP verification (refused before it), then steps up with it in a new
 * session; the authenticator is the installed package's `SoftwareAuthenticator`, as a user's test has it.
 */
async function passkeyProbe(url, as, dir) {
  const testing = join(dir, 'node_modules', 'nestjs-genauth-mfa', 'dist', 'testing', 'index.js');
  const { SoftwareAuthenticator } = await import(pathToFileURL(testing).href);
  const authenticator = new SoftwareAuthenticator({ origin: 'http://localhost' });
  const call = async (headers, method, path, body) => {
    const response = await fetch(`${url}/${path}`, {
      method,
      headers: { ...headers, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    return { status: response.status, body: response.status === 204 ? undefined : await response.json() };
  };
  const alice = await as('alice');
  const early = await call(alice, 'GET', 'passkeys/registration');
  if (early.status !== 403 || early.body.code !== 'MFA_VERIFICATION_REQUIRED')
    throw new Error(`a passkey before a verification: ${early.status} ${JSON.stringify(early.body)}`);
  // The next step's code: the step-up probe took this step's.
  const verified = await call(alice, 'POST', 'transfers/verify', {
    factor: 'TOTP',
    code: totp(DEMO_TOTP_SECRET, Date.now() + 30_000),
  });
  if (verified.status !== 204)
    throw new Error(`TOTP before a passkey: ${verified.status} ${JSON.stringify(verified.body)}`);
  const registration = await call(alice, 'GET', 'passkeys/registration');
  const credential = authenticator.createCredential(registration.body.options);
  const added = await call(alice, 'POST', 'passkeys/registration', { ticket: registration.body.ticket, credential });
  if (added.status !== 204) throw new Error(`adding a passkey: ${added.status} ${JSON.stringify(added.body)}`);
  const later = await as('alice');
  await expectStatus(url, '/transfers', later, 401, 'POST');
  const challenge = await call(later, 'GET', 'passkeys/authentication');
  const proof = { ticket: challenge.body.ticket, credential: authenticator.getAssertion(challenge.body.options) };
  const passed = await call(later, 'POST', 'passkeys/authentication', proof);
  if (passed.status !== 204) throw new Error(`step-up by passkey: ${passed.status} ${JSON.stringify(passed.body)}`);
  await expectStatus(url, '/transfers', later, 201, 'POST');
  const replayed = await call(later, 'POST', 'passkeys/authentication', proof);
  if (replayed.status !== 400 || replayed.body.code !== 'MFA_PASSKEY_REJECTED')
    throw new Error(`a replayed passkey answer: ${replayed.status} ${JSON.stringify(replayed.body)}`);
  console.log('   passkey: added after a TOTP verification, then a step-up by passkey; a replayed answer is refused');
}

/** bob steps up by a code sent by SMS or e-mail: read where `genauth-emulator` prints it, used once only. */
async function codeStepUpProbe(url, bob, factor, to, emulatorLines) {
  const post = (path, body) =>
    fetch(`${url}/transfers/${path}`, {
      method: 'POST',
      headers: { ...bob, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const challenged = await fetch(`${url}/transfers`, { method: 'POST', headers: bob });
  const challenge = authParams(challenged.headers.get('www-authenticate'));
  if (challenged.status !== 401 || challenge.mfa_factors !== 'EMAIL SMS')
    throw new Error(`bob's challenge: ${challenged.status} ${challenged.headers.get('www-authenticate')}`);
  const printed = emulatorLines.length;
  const sent = await post('send-code', { factor });
  if (sent.status !== 201) throw new Error(`send by ${factor}: ${sent.status} ${await sent.text()}`);
  const line = `code sent by ${factor} to ${to}: `;
  let code;
  for (let i = 0; i < 100 && !code; i += 1) {
    code = emulatorLines
      .slice(printed)
      .find((l) => l.startsWith(line))
      ?.slice(line.length);
    if (!code) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (!code) throw new Error(`genauth-emulator printed no code sent by ${factor} to ${to}`);
  const verified = await post('verify', { factor, code });
  if (verified.status !== 204) throw new Error(`${factor} code: ${verified.status} ${await verified.text()}`);
  await expectStatus(url, '/transfers', bob, 201, 'POST');
  const again = await post('verify', { factor, code });
  if (again.status !== 400) throw new Error(`${factor} code used twice: ${again.status} ${await again.text()}`);
  console.log(`   step-up by ${factor}: the code genauth-emulator printed passes once, then is refused`);
}

/** The README's step-up section: a challenge, a wrong code, a right one, then the route; a new session is asked again. */
async function stepUpProbe(url, alice) {
  const challenged = await fetch(`${url}/transfers`, { method: 'POST', headers: alice });
  const body = await challenged.json();
  const challenge = authParams(challenged.headers.get('www-authenticate'));
  if (
    challenged.status !== 401 ||
    body.code !== 'MFA_STEP_UP_REQUIRED' ||
    challenge.error !== 'insufficient_user_authentication' ||
    challenge.max_age !== '300'
  )
    throw new Error(
      `step-up challenge: ${challenged.status} ${challenged.headers.get('www-authenticate')} ${JSON.stringify(body)}`,
    );
  const verify = (code) => ({
    method: 'POST',
    headers: { ...alice, 'content-type': 'application/json' },
    body: JSON.stringify({ factor: 'TOTP', code }),
  });
  const right = totp(DEMO_TOTP_SECRET);
  const wrong = await fetch(`${url}/transfers/verify`, verify(right === '000000' ? '111111' : '000000'));
  const wrongBody = await wrong.json();
  if (wrong.status !== 400 || wrongBody.code !== 'MFA_CODE_REJECTED' || wrongBody.triesLeft !== 4)
    throw new Error(`wrong code: ${wrong.status} ${JSON.stringify(wrongBody)}`);
  const verified = await fetch(`${url}/transfers/verify`, verify(right));
  if (verified.status !== 204) throw new Error(`right code: ${verified.status} ${await verified.text()}`);
  await expectStatus(url, '/transfers', alice, 201, 'POST');
  console.log('   step-up: 401 with the RFC 9470 challenge, 400 for a wrong code, 201 after a right one');
}

/** A user's access token from the emulator's password sign-in, as the app's users get theirs. */
async function signIn(env, account) {
  const response = await fetch(`${env.GENAUTH_HOST}/api/v3/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-authing-app-id': env.GENAUTH_APP_ID },
    body: JSON.stringify({ connection: 'PASSWORD', passwordPayload: { account, password: 'demo-password' } }),
  });
  const body = await response.json();
  if (typeof body.data?.access_token !== 'string') throw new Error(`sign-in of ${account}: ${JSON.stringify(body)}`);
  return body.data.access_token;
}

/** RFC 6238, computed here apart from the library's own code. */
function totp(base32, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of base32) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** The auth-params of a `Bearer` challenge (RFC 9110 §11.2: token or quoted-string values). */
function authParams(header) {
  const match = /^Bearer\s+(.*)$/.exec(header ?? '');
  if (!match) return {};
  const params = {};
  for (const [, name, quoted, token] of match[1].matchAll(
    /([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([!#$%&'*+.^_`|~0-9A-Za-z-]+))\s*(?:,\s*|$)/g,
  ))
    params[name.toLowerCase()] = quoted === undefined ? token : quoted.replace(/\\(.)/g, '$1');
  return params;
}

async function expectStatus(url, path, headers, status, method = 'GET') {
  const response = await fetch(`${url}${path}`, { method, headers, signal: AbortSignal.timeout(10_000) });
  const body = await response.text();
  if (response.status !== status)
    throw new Error(`${method} ${path} ${JSON.stringify(headers)}: ${response.status} ${body}, expected ${status}`);
  return body ? JSON.parse(body) : undefined;
}

/** Runs a command to its end; throws with the tail of its output when it fails or outlasts `limitMs`. */
function run(command, args, cwd, limitMs = 2 * MINUTE, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      process.kill(-child.pid, 'SIGKILL');
    }, limitMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${command} ${args.join(' ')} (in ${cwd}) ended with ${signal ?? code}:\n${tail(out)}`));
    });
  });
}

/** Starts a long-running process and waits (at most 60 s) for a line of its output that matches `ready`. */
function startProcess(command, args, cwd, env, ready) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines = [];
  let errors = '';
  child.stderr.on('data', (d) => (errors += d));
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      process.kill(-child.pid, 'SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${command} ${args.join(' ')} was not ready within 60 s:\n${tail(lines.join('\n') + errors)}`));
    }, MINUTE);
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      if (ready.test(line)) {
        clearTimeout(timer);
        resolve({ lines, stop });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${tail(lines.join('\n') + errors)}`));
    });
  });
}

function tail(text) {
  return text.trim().split('\n').slice(-40).join('\n');
}

function indent(text) {
  return text.replace(/^/gm, '    ');
}
