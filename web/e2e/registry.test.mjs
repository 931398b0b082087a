// The registry, trajectory and audit pages in Chromium against a real `anju demo`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, launchBrowser, newPage, screenshot, signIn, startDemo } from './harness.mjs';

let server;
let browser;

before(async () => {
  [server, browser] = await Promise.all([startDemo(), launchBrowser()]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// A mainland ID number with its check digit (GB 11643), from its first 17 digits.
function idNumber(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}
// The same number with a check digit that does not match.
const badCheckDigit = (id) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

test('an admin adds a person through the form, is told first what is wrong, and finds the person in the table', async () => {
  const page = await newPage(browser);
  await signIn(page, server, 'admin', '/registry/persons');
  await page.getByTestId('registry-table').waitFor();
  await screenshot(page, 'registry-persons', false);

  await page.getByRole('link', { name: '新增人员' }).click();
  await page.getByRole('heading', { name: '新增人员' }).waitFor();
  const id = idNumber('11010519580214093');
  await page.getByLabel('名称').fill('欧阳测试');
  await page.getByLabel('身份证号').fill(badCheckDigit(id));
  await page.getByLabel('手机号').fill('13800138000');
  await page.getByRole('button', { name: '保存' }).click();
  // The API's refusal sits beside the field it names.
  const fieldError = page.locator('#id_number-error');
  await fieldError.filter({ hasText: '校验位' }).waitFor();
  assert.equal(await page.getByLabel('身份证号').getAttribute('aria-invalid'), 'true');
  await screenshot(page, 'person-form-error');

  await page.getByLabel('身份证号').fill(id);
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存。').waitFor();
  await page.waitForURL(/\/registry\/persons\/\d+$/);
  await page.getByRole('heading', { name: /人员 #\d+/ }).waitFor();

  await page.getByRole('link', { name: '实有人口' }).click();
  await page.getByLabel('名称包含').fill('欧阳测试');
  await page.getByLabel('名称包含').press('Enter');
  await page.waitForURL(/q=/);
  const rows = page.getByTestId('registry-table').locator('tbody tr');
  await rows.filter({ hasText: id }).waitFor();
  assert.equal(await rows.count(), 1);
  await page.context().close();
});

test('the other registry lists show as tables with their filters', async () => {
  const page = await newPage(browser);
  await signIn(page, server, 'admin', '/registry/devices');
  await page.getByTestId('registry-table').locator('tbody tr').first().waitFor();
  await page.getByLabel('类型').selectOption('barrier');
  await page.waitForURL(/kind=barrier/);
  await page.getByTestId('registry-table').locator('tbody tr', { hasText: '道闸' }).first().waitFor();
  const kinds = await page.getByTestId('registry-table').locator('tbody tr td:nth-child(3)').allTextContents();
  assert.ok(kinds.length > 0 && kinds.every((k) => k === '道闸'), kinds.join(','));
  await screenshot(page, 'registry-devices', false);
  for (const [tab, name] of [
    ['房屋', 'registry-rooms'],
    ['车辆', 'registry-vehicles'],
    ['出租屋', 'registry-rentals'],
    ['实有单位', 'registry-premises'],
  ]) {
    await page.getByRole('navigation', { name: '一标三实' }).getByRole('link', { name: tab, exact: true }).click();
    await page.getByRole('heading', { name: tab, exact: true }).waitFor();
    await page.getByTestId('registry-table').locator('tbody tr').first().waitFor();
    await screenshot(page, name, false);
  }
  await page.context().close();
});

test('a CSV with a bad row is refused with that row named, then imported keeping the good rows', async () => {
  const page = await newPage(browser);
  await signIn(page, server, 'admin', '/registry/import');
  await page.getByRole('heading', { name: '批量导入' }).waitFor();
  const good1 = idNumber('11010519620307081');
  const good2 = idNumber('11010519700911052');
  const csv = ['姓名,身份证号,人员类别', `导入甲,${good1},registered`, `导入乙,${badCheckDigit(good2)},registered`, `导入丙,${good2},tenant`].join('\n');
  const file = { name: 'persons.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') };

  await page.getByLabel('导入到').selectOption('persons');
  await page.getByLabel('CSV文件').setInputFiles(file);
  await page.getByRole('button', { name: '开始导入' }).click();
  const errors = page.getByTestId('import-errors');
  await errors.waitFor();
  assert.deepEqual(await errors.locator('tbody tr td').allTextContents().then((cells) => cells.slice(0, 2)), ['3', 'id_number']);
  assert.equal(await page.getByTestId('import-imported').textContent(), '0');
  await page.getByText('未导入任何数据').waitFor();
  await screenshot(page, 'import-refused');

  await page.getByLabel('跳过错误行').check();
  await page.getByLabel('CSV文件').setInputFiles(file);
  await page.getByRole('button', { name: '开始导入' }).click();
  await page.getByText('导入结束').waitFor();
  await page.getByText('导入完成。').waitFor();
  assert.equal(await page.getByRole('progressbar', { name: '导入进度' }).getAttribute('value'), '100');
  assert.equal(await page.getByTestId('import-rows').textContent(), '3');
  assert.equal(await page.getByTestId('import-imported').textContent(), '2');
  assert.equal(await page.getByTestId('import-failed').textContent(), '1');
  await screenshot(page, 'import-partial');

  const found = await api(server, 'admin', 'GET', `/api/v1/persons?id_number=${good2}`);
  assert.equal(found.items[0]?.name, '导入丙');
  await page.context().close();
});

test('an officer follows a person’s trajectory by day, and the audit log shows the search with its purpose', async () => {
  // The demo's devices let residents in and out all the time: take one who has just passed.
  let passer;
  for (let i = 0; i < 50 && !passer; i++) {
    const events = await api(server, 'admin', 'GET', '/api/v1/events?limit=200');
    passer = events.items.find((e) => e.person_id)?.person_id;
    if (!passer) await new Promise((ok) => setTimeout(ok, 200));
  }
  assert.ok(passer, 'no passage by a registered person in the demo');
  const person = await api(server, 'admin', 'GET', `/api/v1/persons/${passer}?purpose=e2e`);

  const page = await newPage(browser);
  await signIn(page, server, 'admin', '/trajectory');
  await page.getByRole('heading', { name: '轨迹查询' }).waitFor();
  await page.getByLabel('姓名').fill(person.name);
  await page.getByRole('button', { name: '查找人员' }).click();
  await page.getByLabel('人员', { exact: true }).selectOption(String(passer));
  await page.getByLabel('用途').fill('协查走失老人');
  await page.getByRole('button', { name: '查询轨迹' }).click();
  const timeline = page.getByTestId('timeline');
  await timeline.locator('tbody tr').first().waitFor();
  // Days are headed by their date in the estates' zone although the browser runs in UTC.
  const heading = await timeline.locator('h2').first().textContent();
  assert.match(heading, /^\d{4}-\d{2}-\d{2} /);
  await screenshot(page, 'trajectory');

  await page.goto(`${server.url}/admin/audit?action=trajectory&user=admin`);
  const audit = page.getByTestId('audit');
  await audit.locator('tbody tr', { hasText: '协查走失老人' }).filter({ hasText: `persons ${passer}` }).waitFor();
  const actions = await audit.locator('tbody tr td:nth-child(3)').allTextContents();
  assert.ok(actions.every((a) => a === '轨迹查询'), actions.join(','));
  await screenshot(page, 'audit');
  await page.context().close();
});
