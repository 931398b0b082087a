// The console's work pages in Chromium against a real `anju demo`: the registry and its import,
// trajectory and face search, rules and watchlists, users, the audit log and retention.
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
  await page.getByLabel('姓名').fill('欧阳测试');
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
  await page.waitForURL(/\/registry\/persons\/\d+\?created=1$/);
  await page.getByRole('heading', { name: /人员 #\d+/ }).waitFor();

  await page.getByRole('link', { name: '实有人口' }).click();
  await page.getByLabel('姓名包含').fill('欧阳测试');
  await page.getByLabel('姓名包含').press('Enter');
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
  const estate = (await api(server, 'admin', 'GET', '/api/v1/estates?limit=1')).items[0];
  await page.getByLabel('小区').selectOption(String(estate.id));
  await page.waitForURL(new RegExp(`estate_id=${estate.id}`));
  await page.getByTestId('registry-table').locator('tbody tr td:nth-child(4)', { hasText: estate.name }).first().waitFor();
  await page.getByLabel('类型').selectOption('barrier');
  await page.waitForURL(/kind=barrier/);
  await page.getByTestId('registry-table').locator('tbody tr', { hasText: '道闸' }).first().waitFor();
  const kinds = await page.getByTestId('registry-table').locator('tbody tr td:nth-child(3)').allTextContents();
  assert.ok(kinds.length > 0 && kinds.every((k) => k === '道闸'), kinds.join(','));
  await screenshot(page, 'registry-devices', false);

  // Enter in a text filter applies it: the persons tagged as living alone, every one so tagged.
  await page.getByRole('navigation', { name: '一标三实' }).getByRole('link', { name: '实有人口', exact: true }).click();
  await page.getByLabel('标签').fill('elderly_alone');
  await page.getByLabel('标签').press('Enter');
  await page.waitForURL(/tag=elderly_alone/);
  const tagged = await api(server, 'admin', 'GET', '/api/v1/persons?tag=elderly_alone&limit=1');
  if (tagged.items.length > 0) {
    await page.getByTestId('registry-table').locator('tbody tr', { hasText: tagged.items[0].name }).first().waitFor();
    const tags = await page.getByTestId('registry-table').locator('tbody tr td:nth-child(8)').allTextContents();
    assert.ok(tags.every((t) => t.includes('elderly_alone')), tags.join(','));
  }
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
  await page.locator('select[name=person_id]').selectOption(String(passer));
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
  // The search's detail reads as typed, and nothing runs off the side of the page.
  await audit.getByText(`person_id=${passer}&purpose=协查走失老人`).first().waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than the window`);
  await screenshot(page, 'audit');
  await page.context().close();
});

test('a face search by photo is refused in the API’s words when no face model is configured', async () => {
  const page = await newPage(browser);
  await signIn(page, server, 'admin', '/faces');
  await page.getByRole('heading', { name: '以图搜图' }).waitFor();
  await page.getByLabel('照片', { exact: true }).check();
  // A 1×1 PNG: the demo has no face model, so what the photo shows does not matter.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  await page.getByLabel('人脸照片').setInputFiles({ name: 'face.png', mimeType: 'image/png', buffer: png });
  await page.getByLabel('用途').fill('寻找走失老人');
  await page.getByRole('button', { name: '检索', exact: true }).click();
  await page.locator('.field-error', { hasText: '未配置人脸模型' }).waitFor();

  // An embedding is searched all the same; the demo's captures answer as a gallery.
  await page.getByLabel('人脸特征值', { exact: true }).check();
  const embedding = Array.from({ length: 128 }, (_, i) => Math.sin(i + 1).toFixed(4));
  await page.getByLabel('人脸特征值（').fill(`[${embedding.join(', ')}]`);
  await page.getByRole('button', { name: '检索', exact: true }).click();
  await page.locator('[data-testid="face-results"], .state.empty').first().waitFor();
  await screenshot(page, 'faces');
  await page.context().close();
});

test('an admin creates a rule after fixing what the API refused, switches it off, and creates a watchlist with entries', async () => {
  const page = await newPage(browser);
  await signIn(page, server, 'admin', '/alerts/rules');
  await page.getByRole('heading', { name: '预警规则' }).waitFor();
  await page.getByRole('button', { name: '新建规则' }).click();
  await page.getByLabel('名称').fill('独居老人48小时未出行');
  await page.getByLabel('规则类型').selectOption('elderly_no_passage');
  await page.getByLabel('参数（JSON）').fill('{"hours": 0}');
  await page.getByRole('button', { name: '保存' }).click();
  await page.locator('#rule-params-error', { hasText: '1 到 720' }).waitFor();
  await page.getByLabel('参数（JSON）').fill('{"hours": 48}');
  await page.getByRole('button', { name: '保存' }).click();
  const row = page.getByTestId('rules').locator('tr', { hasText: '独居老人48小时未出行' });
  await row.getByText('已启用').waitFor();
  await row.getByRole('button', { name: '停用' }).click();
  await row.getByText('已停用').waitFor();
  await screenshot(page, 'rules');

  await page.goto(`${server.url}/alerts/watchlists`);
  await page.getByRole('heading', { name: '布控名单', exact: true }).waitFor();
  await page.getByLabel('名称').fill('盗窃嫌疑车辆');
  await page.getByLabel('名单类型').selectOption('vehicle');
  await page.getByLabel('布控事由').fill('协查盗窃案');
  await page.getByLabel('申请民警').fill('王警官');
  await page.getByRole('button', { name: '创建' }).click();
  await page.getByTestId('watchlists').getByRole('link', { name: '盗窃嫌疑车辆' }).click();
  await page.getByRole('heading', { name: /盗窃嫌疑车辆/ }).waitFor();
  await page.getByLabel('车牌号').fill('京A12345');
  await page.getByRole('button', { name: '添加', exact: true }).click();
  await page.getByTestId('watchlist-entries').getByRole('cell', { name: '京A12345' }).waitFor();

  const csv = Buffer.from('车牌号,备注\n冀C8Z123,夜间出没\n不是车牌,错行\n', 'utf8');
  await page.getByLabel('跳过错误行').check();
  await page.getByLabel('CSV文件').setInputFiles({ name: 'plates.csv', mimeType: 'text/csv', buffer: csv });
  await page.getByRole('button', { name: '开始导入' }).click();
  await page.getByText('导入结束').waitFor();
  assert.equal(await page.getByTestId('import-imported').textContent(), '1');
  await page.getByTestId('import-errors').getByRole('cell', { name: '3', exact: true }).waitFor();
  await page.getByTestId('watchlist-entries').getByRole('cell', { name: '冀C8Z123' }).waitFor();
  await screenshot(page, 'watchlist');
  await page.context().close();
});

test('an admin sees the users, adds one with roles and a region, and deactivates them', async () => {
  const page = await newPage(browser);
  await signIn(page, server, 'admin', '/admin/users');
  await page.getByTestId('users').getByRole('cell', { name: 'admin', exact: true }).waitFor();
  await page.getByLabel('用户名').fill('grid_e2e');
  await page.getByLabel('密码').fill('correct-horse-battery');
  await page.getByLabel('网格员').check();
  const regions = await api(server, 'admin', 'GET', '/api/v1/regions?level=community&limit=1');
  await page.getByLabel('所属区域').selectOption(String(regions.items[0].id));
  await page.getByRole('button', { name: '创建用户' }).click();
  const row = page.getByTestId('users').locator('tr', { hasText: 'grid_e2e' });
  await row.filter({ hasText: regions.items[0].name }).waitFor();
  await row.getByRole('button', { name: '停用' }).click();
  await row.getByText('已停用').waitFor();
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    body: JSON.stringify({ username: 'grid_e2e', password: 'correct-horse-battery' }),
  });
  assert.equal(login.status, 401);
  await screenshot(page, 'users');
  await page.context().close();
});

test('an admin changes how long device events are kept, confirms it with the preview, finds it kept after a reload, and hands it back to the configuration file', async () => {
  const before = await api(server, 'admin', 'GET', '/api/v1/admin/retention');
  const days = before.settings.events === 200 ? 210 : 200;
  const page = await newPage(browser);
  await signIn(page, server, 'admin', '/admin/retention');
  await page.getByRole('heading', { name: '保留策略' }).waitFor();
  await page.getByTestId('retention-plan').getByRole('rowheader', { name: '设备事件' }).waitFor();
  await page.getByTestId('retention-events-source').getByText('来自配置文件').waitFor();

  await page.getByLabel('审计记录（天）').fill('30');
  await page.getByText('审计记录须至少保留 180 天').waitFor();
  await page.getByLabel('审计记录（天）').fill(String(before.settings.audit));
  await page.getByLabel('设备事件（天）').fill(String(days));
  await page.getByRole('button', { name: '保存' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText(new RegExp(`设备事件：.+ → ${days} 天`)).waitFor();
  await dialog.getByTestId('retention-plan').getByText('新').waitFor();
  await screenshot(page, 'retention-confirm');
  await dialog.getByRole('button', { name: '确认' }).click();
  await page.getByRole('status').filter({ hasText: '保留策略已保存' }).waitFor();

  await page.reload();
  await page.getByRole('heading', { name: '保留策略' }).waitFor();
  await page.getByTestId('retention-events-source').getByText(/admin 于 .+ 设置/).waitFor();
  assert.equal(await page.getByLabel('设备事件（天）').inputValue(), String(days));
  await screenshot(page, 'retention');
  const stored = await api(server, 'admin', 'GET', '/api/v1/admin/retention');
  assert.equal(stored.settings.events, days);
  assert.equal(stored.sources.events, 'settings');

  // Handed back to the configuration file, with the file's period previewed first.
  await page.getByRole('button', { name: '设备事件：恢复为配置文件的值' }).click();
  await dialog.getByText(`设备事件：${days} 天 → ${stored.config.events > 0 ? `${stored.config.events} 天` : '永久保留'}（配置文件）`).waitFor();
  await dialog.getByRole('button', { name: '确认' }).click();
  await page.getByTestId('retention-events-source').getByText('来自配置文件').waitFor();
  assert.equal(await page.getByRole('button', { name: '设备事件：恢复为配置文件的值' }).count(), 0);
  const restored = await api(server, 'admin', 'GET', '/api/v1/admin/retention');
  assert.equal(restored.sources.events, 'config');
  assert.equal(restored.settings.events, stored.config.events);
  await page.context().close();
});

test('security staff see the registry with ID numbers and phones masked, and no way to add persons', async () => {
  const guard = Object.keys(server.logins).find((name) => name.startsWith('security_'));
  const page = await newPage(browser);
  await signIn(page, server, guard, '/registry/persons');
  const table = page.getByTestId('registry-table');
  await table.locator('tbody tr').first().waitFor();
  const ids = await table.locator('tbody tr td:nth-child(3)').allTextContents();
  assert.ok(ids.filter((v) => v !== '—').every((v) => /^\d{6}\*+\w{4}$/.test(v)), ids.slice(0, 5).join(','));
  const phones = await table.locator('tbody tr td:nth-child(4)').allTextContents();
  assert.ok(phones.filter((v) => v !== '—').every((v) => /^\d{3}\*{4}\d{4}$/.test(v)), phones.slice(0, 5).join(','));
  assert.equal(await page.getByRole('link', { name: '新增人员' }).count(), 0);
  assert.equal(await page.getByRole('link', { name: '批量导入' }).count(), 0);
  await screenshot(page, 'registry-persons-masked', false);
  await page.context().close();
});
