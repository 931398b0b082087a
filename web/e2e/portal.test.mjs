// The resident portal on a phone-sized Chromium against a real `anju demo`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, launchBrowser, newPage, screenshot, signIn, startDemo } from './harness.mjs';

let server;
let browser;
const phone = { width: 390, height: 844 };
const onePixelPng = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

before(async () => {
  [server, browser] = await Promise.all([startDemo(), launchBrowser()]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a resident creates a visitor pass and sees its code', async () => {
  const page = await newPage(browser, phone);
  await signIn(page, server, 'resident_demo', '/m');
  await page.getByRole('heading', { name: '公告' }).waitFor();
  await screenshot(page, 'portal-home');

  await page.getByRole('navigation').getByRole('link', { name: '访客通行' }).click();
  await page.getByLabel('访客姓名').fill('李明');
  await page.getByRole('button', { name: '生成通行码' }).click();
  const code = page.getByTestId('pass-code').locator('.code');
  await code.waitFor();
  assert.match(await code.innerText(), /^\d{6}$/);
  await page.locator('.cards li', { hasText: '李明' }).waitFor();
  await screenshot(page, 'portal-pass');
  await page.context().close();
});

test('a resident reports a matter with a photo and follows it', async () => {
  const page = await newPage(browser, phone);
  await signIn(page, server, 'resident_demo', '/m/report');
  await page.getByLabel('类别').selectOption('environment');
  await page.getByLabel('请描述您要反映的事情').fill('5号楼东侧垃圾桶满溢两天无人清运，气味很大。');
  await page.getByLabel('照片（可选，最多5张）').setInputFiles({ name: '垃圾桶.png', mimeType: 'image/png', buffer: onePixelPng });
  await page.getByRole('button', { name: '提交' }).click();
  const sent = page.getByRole('status').filter({ hasText: '已提交' });
  await sent.waitFor();
  const id = /#(\d+)/.exec(await sent.innerText())[1];

  await page.getByRole('navigation').getByRole('link', { name: '我的事项' }).click();
  const item = page.getByTestId('my-cases').locator('li', { hasText: `#${id}` });
  await item.getByText('待受理').waitFor();
  await item.getByRole('link').click();
  await page.getByRole('heading', { name: new RegExp(`#${id}`) }).waitFor();
  await screenshot(page, 'portal-case');
  const stored = await api(server, 'resident_demo', 'GET', `/api/v1/cases/${id}`);
  assert.equal(stored.attachments.length, 1);
  await page.context().close();
});

test('SOS asks for confirmation before it calls anyone', async () => {
  const page = await newPage(browser, phone);
  await signIn(page, server, 'resident_demo', '/m/sos');
  await page.getByRole('button', { name: '紧急呼叫' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('确定要发出紧急呼叫吗').waitFor();
  await screenshot(page, 'portal-sos');
  await dialog.getByRole('button', { name: '取消' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await page.getByText('已发出紧急呼叫').count(), 0);

  await page.getByRole('button', { name: '紧急呼叫' }).click();
  await dialog.getByRole('button', { name: '确认' }).click();
  await page.getByRole('status').filter({ hasText: '已发出紧急呼叫' }).waitFor();
  await page.context().close();
});

test('a resident sees the doors of their access groups as buttons and opens one after confirming', async () => {
  const mine = await api(server, 'resident_demo', 'GET', '/api/v1/me/doors');
  assert.ok(mine.items.length > 0, 'the demo resident has doors');
  const door = mine.items[0];
  const title = door.building_name && !door.name.startsWith(door.building_name) ? `${door.building_name} · ${door.name}` : door.name;

  const page = await newPage(browser, phone);
  await signIn(page, server, 'resident_demo', '/m');
  await page.getByRole('link', { name: '开门' }).first().click();
  await page.getByRole('heading', { name: '开门' }).waitFor();
  await page.getByRole('heading', { name: door.estate_name }).waitFor();
  const buttons = page.getByTestId('my-doors').getByRole('button');
  await buttons.first().waitFor();
  assert.equal(await buttons.count(), mine.items.length);
  await screenshot(page, 'portal-doors');

  // Cancelled, nothing opens.
  await page.getByRole('button', { name: `开 ${title}` }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(`确定要打开「${title}」吗？`).waitFor();
  await screenshot(page, 'portal-door-confirm');
  await dialog.getByRole('button', { name: '取消' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await page.getByTestId('door-outcome').count(), 0);

  await page.getByRole('button', { name: `开 ${title}` }).first().click();
  await dialog.getByRole('button', { name: '开门' }).click();
  await page.getByTestId('door-outcome').filter({ hasText: `${title} 已开门` }).waitFor();
  await page.context().close();
});
