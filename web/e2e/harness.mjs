// What the browser tests share: a real `anju demo` on a free loopback port with a small generated
// district, Debian's Chromium driven by playwright-core, sign-in, and screenshots of each page in
// build/web-screenshots/.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const binary = resolve(repo, process.env.ANJU_BINARY ?? 'build/test/src/app/anju');
const screenshots = resolve(repo, 'build/web-screenshots');
const browserPath = process.env.ANJU_CHROMIUM ?? '/usr/bin/chromium';

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

// Starts the demo and resolves once /healthz answers; the admin password is read from its output.
export async function startDemo() {
  if (!existsSync(binary)) throw new Error(`no anju binary at ${binary}: build first (scripts/build.sh build/test)`);
  const data = mkdtempSync(join(tmpdir(), 'anju-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    ['demo', '--data', data, '--listen', `127.0.0.1:${port}`, '--persons', '300', '--estates', '2', '--seed', '7'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ANJU_WEB_ROOT: resolve(repo, 'web/dist'), ANJU_LOG_LEVEL: 'warn' } },
  );
  let output = '';
  let errors = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (errors += d));
  const exited = new Promise((ok) => child.once('exit', ok));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`anju demo exited (${child.exitCode}):\n${errors}`);
    if (Date.now() > deadline) throw new Error(`anju demo did not answer /healthz in 120 s:\n${output}\n${errors}`);
    const password = /admin password: (\S+)/.exec(output)?.[1];
    if (password) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) {
          const logins = Object.fromEntries(
            readFileSync(join(data, 'demo-logins.txt'), 'utf8')
              .trim()
              .split('\n')
              .map((line) => line.split('\t')),
          );
          return {
            url,
            logins,
            async stop() {
              child.kill('SIGTERM');
              await exited;
              rmSync(data, { recursive: true, force: true });
            },
          };
        }
      } catch {
        // Not listening yet.
      }
    }
    await new Promise((ok) => setTimeout(ok, 200));
  }
}

// Calls the API directly, for setting up what a test needs (rules, devices) and reading results.
export async function api(server, username, method, path, body) {
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    body: JSON.stringify({ username, password: server.logins[username] }),
  });
  const { token } = await login.json();
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

// Sends events as the device itself, signed with its secret.
export async function sendSigned(server, deviceId, secret, events) {
  const body = events.map((e) => JSON.stringify(e)).join('\n');
  const signature = createHmac('sha256', secret).update(body).digest('hex');
  const response = await fetch(`${server.url}/api/v1/events`, {
    method: 'POST',
    headers: { 'X-Anju-Device': deviceId, 'X-Anju-Signature': signature, 'Content-Type': 'application/x-ndjson' },
    body,
  });
  const answer = await response.json();
  if (!response.ok || answer.accepted !== events.length) throw new Error(`events refused: ${JSON.stringify(answer)}`);
  return answer;
}

export async function launchBrowser() {
  const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  return chromium.launch({ executablePath: browserPath, headless: true, args });
}

// A fresh page of the given size (a desktop by default; the portal uses a phone's). The browser's
// zone is UTC on purpose: the pages must show times in the estates' zone all the same. A `zoom`
// of 2 is the browser zoomed to 200%: half the room, each pixel drawn twice.
export async function newPage(browser, viewport = { width: 1366, height: 860 }, zoom = 1) {
  const context = await browser.newContext({
    viewport: { width: Math.round(viewport.width / zoom), height: Math.round(viewport.height / zoom) },
    deviceScaleFactor: zoom,
    locale: 'zh-CN',
    timezoneId: 'UTC',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

export async function signIn(page, server, username, path = '/') {
  await page.goto(`${server.url}${path}`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(server.logins[username]);
  await page.getByRole('button', { name: '登录' }).click();
}

// The whole page, or only what the window shows when `fullPage` is false (a long list).
export async function screenshot(page, name, fullPage = true) {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage });
}
