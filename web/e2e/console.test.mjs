// The operations console in Chromium against a real `anju demo`.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, launchBrowser, newPage, screenshot, sendSigned, signIn, startDemo } from './harness.mjs';

let server;
let browser;

before(async () => {
  [server, browser] = await Promise.all([startDemo(), launchBrowser()]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const nav = (page) => page.getByRole('navigation', { name: '主导航' });
const navLinks = (page) => nav(page).getByRole('link').allTextContents();

test('an admin signs in and sees every page and the district figures', async () => {
  const page = await newPage(browser);
  await signIn(page, server, 'admin');
  await page.getByRole('heading', { name: '总览' }).waitFor();
  assert.deepEqual(await navLinks(page), ['总览', '平面图', '预警', '预警规则', '布控名单', '事件处置', '群众说事', '调解记录', '案件统计', '一标三实', '轨迹查询', '以图搜图', '用户管理', '审计日志', '保留策略']);

  const stats = await api(server, 'admin', 'GET', '/api/v1/stats/estates');
  const tile = (name) => page.locator('.tile', { has: page.getByText(name, { exact: true }) }).locator('.tile-value');
  await tile('小区').filter({ hasText: new RegExp(`^${stats.total.estates}$`) }).waitFor();
  await tile('设备在线').filter({ hasText: new RegExp(`/ ${stats.total.devices.total}$`) }).waitFor();
  // The demo's devices raise incidents while the test runs, so only the figure's form is fixed.
  await tile('处置中事件').filter({ hasText: /^\d+$/ }).waitFor();
  // One row per estate, named as the registry names them.
  for (const estate of stats.items) await page.getByRole('cell', { name: estate.name }).waitFor();
  await page.locator('canvas').first().waitFor();
  await screenshot(page, 'dashboard');

  // Narrowed to one community, the figures are that community's.
  const communities = await api(server, 'admin', 'GET', '/api/v1/regions?level=community&limit=1');
  const community = communities.items[0];
  const inCommunity = await api(server, 'admin', 'GET', `/api/v1/stats/estates?region_id=${community.id}`);
  await page.getByLabel('区域').selectOption(String(community.id));
  await page.waitForURL(`**/?region=${community.id}`);
  await tile('小区').filter({ hasText: new RegExp(`^${inCommunity.total.estates}$`) }).waitFor();
  await tile('设备在线').filter({ hasText: new RegExp(`/ ${inCommunity.total.devices.total}$`) }).waitFor();
  await page.context().close();
});

test('roles see only their own pages', async () => {
  const guard = Object.keys(server.logins).find((name) => name.startsWith('security_'));
  const mediator = Object.keys(server.logins).find((name) => name.startsWith('mediator_'));

  const page = await newPage(browser);
  await signIn(page, server, guard);
  await page.getByRole('heading', { name: '总览' }).waitFor();
  assert.deepEqual(await navLinks(page), ['总览', '平面图', '预警', '事件处置', '一标三实', '轨迹查询', '以图搜图']);
  await page.context().close();

  const other = await newPage(browser);
  await signIn(other, server, mediator);
  await other.getByRole('heading', { name: '总览' }).waitFor();
  assert.deepEqual(await navLinks(other), ['总览', '群众说事', '调解记录', '案件统计', '一标三实']);
  // Typing the address of a page the role may not see says so instead of showing it.
  await other.goto(`${server.url}/alerts`);
  await other.getByText('您的角色无权查看此页面').waitFor();
  assert.equal(await other.getByTestId('alert-feed').count(), 0);
  await other.context().close();
});

test('the console works from the keyboard and reads at 200% zoom', async () => {
  const page = await newPage(browser, undefined, 2);
  await page.goto(server.url);
  // The username field has the focus once the page is drawn; Enter signs in.
  await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'username');
  await page.keyboard.type('admin');
  await page.keyboard.press('Tab');
  await page.keyboard.type(server.logins.admin);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: '总览' }).waitFor();

  // The first Tab reaches the skip link; the navigation follows in order.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), '跳到主要内容');
  const focused = [];
  for (let i = 0; i < 12 && !focused.includes('群众说事'); i++) {
    await page.keyboard.press('Tab');
    focused.push(await page.evaluate(() => document.activeElement?.textContent));
  }
  assert.ok(focused.includes('预警') && focused.includes('群众说事'), focused.join(' | '));
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: '群众说事' }).waitFor();
  await page.getByTestId('cases').waitFor();

  // Nothing runs off the side of the page at this size.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than the window`);
  await screenshot(page, 'cases-200-percent', false);
  await page.context().close();
});

test('the console switches to English and keeps the choice', async () => {
  const page = await newPage(browser);
  await signIn(page, server, 'admin');
  await page.getByRole('button', { name: '切换到英文' }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.context().close();
});

test('a device alarm appears in the live feed, leaves it when acknowledged, and its incident is worked against the 1-3-5 clock', async () => {
  // Gas alarms come only from this test: the demo's own devices never send them.
  await api(server, 'admin', 'POST', '/api/v1/alert-rules', { name: '燃气报警', kind: 'alarm', params: { types: ['gas'] }, level: 'critical' });
  const device = await api(server, 'admin', 'POST', '/api/v1/devices', { name: '3号楼燃气探测器', kind: 'smoke', estate_id: 1 });

  const page = await newPage(browser);
  await signIn(page, server, 'admin');
  await nav(page).getByRole('link', { name: '预警', exact: true }).click();
  await page.locator('.live[data-state="open"]').waitFor();

  await sendSigned(server, device.id, device.secret, [
    { device_id: device.id, event_id: 'e2e-gas-1', ts: new Date().toISOString(), kind: 'alarm', type: 'gas', level: 'high' },
  ]);
  const feed = page.getByTestId('alert-feed');
  const row = feed.locator('tr', { hasText: '紧急' }).first();
  await row.waitFor();
  const id = await row.getAttribute('data-alert-id');
  await screenshot(page, 'alerts');

  await row.getByRole('button', { name: '确认' }).click();
  await feed.locator(`tr[data-alert-id="${id}"]`).waitFor({ state: 'detached' });
  await page.getByTestId('alert-handling').locator(`tr[data-alert-id="${id}"]`, { hasText: '已确认' }).waitFor();

  await nav(page).getByRole('link', { name: '事件处置', exact: true }).click();
  const incident = page.getByTestId('incidents').locator('tr', { hasText: '燃气' }).first();
  await incident.locator('td.timer', { hasText: /接警(剩余|超时)/ }).waitFor();
  await incident.getByRole('button', { name: '接警' }).click();
  await incident.locator('td.timer', { hasText: /派警(剩余|超时)/ }).waitFor();
  await incident.getByText('已接警').waitFor();

  await incident.getByRole('button', { name: '派警' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('派往（巡逻组、保安或单位）').fill('保安队 陈');
  await dialog.getByRole('button', { name: '确认' }).click();
  await incident.getByText('已派警').waitFor();
  await incident.locator('td.timer', { hasText: /到场(剩余|超时)/ }).waitFor();
  await screenshot(page, 'incidents');
  await page.context().close();
});

test('a mediator registers a phoned-in case and takes it through accept and triage, seeing only the actions allowed and a colleague’s step as it happens', async () => {
  const mediator = Object.keys(server.logins).find((name) => name.startsWith('mediator_'));
  const page = await newPage(browser);
  await signIn(page, server, mediator);
  await nav(page).getByRole('link', { name: '群众说事', exact: true }).click();
  await page.getByRole('link', { name: '登记案件' }).click();
  await page.getByLabel('来源').selectOption('hotline');
  await page.getByLabel('类别').selectOption('neighbour');
  await page.getByLabel('内容').fill('楼上住户深夜装修噪音扰民，多次沟通未果，请求调解。');
  await page.getByLabel('反映人姓名（可空）').fill('王女士');
  await page.getByLabel('反映人电话（可空）').fill('13803350000');
  await page.getByRole('button', { name: '登记', exact: true }).click();
  const registered = page.getByRole('status').filter({ hasText: '已登记' });
  const created = { id: Number(/#(\d+)/.exec(await registered.innerText())[1]) };
  await registered.getByRole('link', { name: `#${created.id}` }).click();
  await page.getByRole('heading', { name: `案件 #${created.id}` }).waitFor();
  await screenshot(page, 'case');

  const actions = page.getByRole('group', { name: '可执行的操作' });
  await actions.getByRole('button', { name: '受理' }).click();
  await page.getByRole('form', { name: '受理' }).getByRole('button', { name: '受理' }).click();
  await page.locator('.page-head').getByText('已受理').waitFor();

  await actions.getByRole('button', { name: '分流' }).click();
  const form = page.getByRole('form', { name: '分流' });
  await form.getByLabel('层级').selectOption('village');
  await form.getByLabel('分流途径').selectOption('people_mediation');
  await form.getByRole('button', { name: '分流' }).click();
  await page.locator('.page-head').getByText('已分流').waitFor();

  const history = page.getByTestId('history');
  await history.getByRole('cell', { name: '受理', exact: true }).waitFor();
  await history.getByRole('cell', { name: '分流', exact: true }).waitFor();
  // Only what the API allows from "triaged" is offered: assigning, not accepting again.
  await actions.getByRole('button', { name: '交办' }).waitFor();
  assert.equal(await actions.getByRole('button', { name: '受理' }).count(), 0);

  // A colleague assigns it elsewhere: the open page follows without a reload.
  const departments = await api(server, 'admin', 'GET', '/api/v1/departments?limit=1');
  await api(server, 'admin', 'POST', `/api/v1/cases/${created.id}/actions`, { action: 'assign', lead: departments.items[0].id });
  await page.locator('.page-head').getByText('已交办').waitFor();
  await history.getByRole('cell', { name: '交办', exact: true }).waitFor();
  await page.context().close();
});

test('a resident’s SOS opens on the incident page with whom to call and its clocks', async () => {
  const sos = await api(server, 'resident_demo', 'POST', '/api/v1/sos', { confirm: true });
  const page = await newPage(browser);
  await signIn(page, server, 'admin', `/incidents/${sos.id}`);
  await page.getByRole('heading', { name: `事件 #${sos.id} · 一键呼叫` }).waitFor();
  const contacts = page.getByRole('table', { name: '联系人' });
  await contacts.getByRole('cell', { name: '呼叫人' }).waitFor();
  assert.ok((await contacts.locator('a[href^="tel:"]').count()) >= 1, 'the caller can be rung from the page');
  const clocks = page.getByRole('list', { name: '计时' });
  await clocks.getByText(/接警(剩余|超时)/).waitFor();
  await page.getByRole('group', { name: '操作' }).getByRole('button', { name: '接警' }).click();
  await clocks.getByText(/接警(按时|超时) \d+:\d{2}/).waitFor();
  await page.locator('.page-head').getByText('已接警').waitFor();
  await screenshot(page, 'incident');
  await page.context().close();
});

test('a mediator opens a mediation record from its case, finds it in the list, adds a session and sees it among the sessions', async () => {
  const mediator = Object.keys(server.logins).find((name) => name.startsWith('mediator_'));
  const dispute = await api(server, mediator, 'POST', '/api/v1/cases', {
    channel: 'walk_in',
    category: 'neighbour',
    description: '楼上卫生间漏水渗到楼下，双方协商赔偿未果。',
  });
  const page = await newPage(browser);
  await signIn(page, server, mediator, `/cases/${dispute.id}`);
  await page.getByRole('button', { name: '开始调解' }).click();
  const start = page.getByRole('form', { name: '开始调解' });
  await start.getByLabel('调解员').fill('周秀兰');
  const party = (n) => start.getByRole('group', { name: `当事人${n}` });
  await party(1).getByLabel('姓名').fill('王建国');
  await party(1).getByLabel('电话（可空）').fill('13803351234');
  await party(2).getByLabel('姓名').fill('李卫东');
  await screenshot(page, 'mediation-start');
  await start.getByRole('button', { name: '开始调解' }).click();
  await page.waitForURL(/\/mediation\/\d+$/);
  const record = { id: Number(/(\d+)$/.exec(page.url())[1]) };

  await nav(page).getByRole('link', { name: '调解记录', exact: true }).click();
  await page.getByLabel('状态').selectOption('open');
  const list = page.getByTestId('mediations');
  const link = list.getByRole('link', { name: `调解记录 #${record.id}` });
  // Oldest first: the new record is on the last page.
  const more = page.getByRole('button', { name: '加载更多' });
  for (let tries = 0; !(await link.isVisible()); tries++) {
    assert.ok(tries < 100, `record #${record.id} is listed`);
    if ((await more.count()) > 0 && (await more.isEnabled())) await more.click();
    else await page.waitForTimeout(100);
  }
  await screenshot(page, 'mediations', false);
  await link.click();
  await page.getByRole('heading', { name: `调解记录 #${record.id}` }).waitFor();
  await page.getByRole('cell', { name: '王建国' }).waitFor();
  await page.getByRole('cell', { name: '申请人', exact: true }).waitFor();

  const session = page.getByRole('form', { name: '添加调解记录' });
  await session.getByLabel('地点').fill('社区调解室');
  await session.getByLabel('调解情况').fill('双方陈述意见，物业到场说明漏水原因。');
  await session.getByRole('button', { name: '添加调解记录' }).click();
  await page.getByTestId('sessions').getByRole('cell', { name: '社区调解室' }).waitFor();

  const outcome = page.getByRole('form', { name: '登记结果' });
  await outcome.getByLabel('调解结果').selectOption('agreed');
  await outcome.getByLabel('协议内容').fill('楼上住户三日内修复防水层，赔偿楼下住户800元。');
  await outcome.getByRole('button', { name: '登记结果' }).click();
  await page.locator('.page-head').getByText('达成协议').waitFor();
  await page.getByRole('form', { name: '申请司法确认' }).waitFor();
  await screenshot(page, 'mediation');
  const stored = await api(server, mediator, 'GET', `/api/v1/mediations/${record.id}`);
  assert.equal(stored.sessions.length, 1);
  assert.equal(stored.status, 'agreed');
  await page.context().close();
});

test('an admin reads the case statistics of a window, matching the API, and exports them as CSV', async () => {
  const day = (ms) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
  const from = day(Date.now() - 89 * 86_400_000);
  const to = day(Date.now());
  const end = day(Date.parse(`${to}T00:00:00+08:00`) + 86_400_000);
  const window = `from=${encodeURIComponent(`${from}T00:00:00+08:00`)}&to=${encodeURIComponent(`${end}T00:00:00+08:00`)}`;
  const stats = await api(server, 'admin', 'GET', `/api/v1/stats/cases?${window}`);
  assert.ok(stats.total > 0, 'the demo has cases in the last 90 days');
  const percent = (v) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);

  const page = await newPage(browser);
  await signIn(page, server, 'admin', `/stats/cases?from=${from}&to=${to}`);
  const tiles = page.getByTestId('stats-tiles');
  await tiles.locator('[data-figure="total"] .tile-value').filter({ hasText: new RegExp(`^${stats.total}$`) }).waitFor();
  assert.equal(await tiles.locator('[data-figure="resolution_rate"] .tile-value').innerText(), percent(stats.resolution_rate));
  assert.equal(await tiles.locator('[data-figure="on_time_rate"] .tile-value').innerText(), percent(stats.on_time_rate));
  assert.equal(await tiles.locator('[data-figure="satisfied_rate"] .tile-value').innerText(), percent(stats.satisfied_rate));
  const village = stats.by_level.village;
  if (village) {
    const row = page.getByTestId('by-level').getByRole('row', { name: /村（社区）级/ });
    assert.equal(await row.locator('td').first().innerText(), String(village.total));
  }
  await page.locator('canvas').first().waitFor();
  await screenshot(page, 'case-stats');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出CSV' }).click()]);
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  const csv = Buffer.concat(chunks);
  assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = csv.toString('utf8');
  assert.match(text, /办结率/);
  assert.match(text, new RegExp(`\\r\\n合计,[^,]*,${stats.total},`));
  await page.context().close();
});
