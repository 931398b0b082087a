// The site plan in Chromium against a real `anju demo`: a guard on duty sees the estate's
// buildings and devices where the registry places them, a device's alarm marks its marker as it
// happens, a trajectory shows the places passed, numbered, on the estates' plans, and those who
// may edit them place buildings and devices by clicking on the plan.
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

const placed = (p) => p.plan_x != null && p.plan_y != null;

test('the guard on duty sees the estate’s buildings and devices on its plan, and a device’s alarm marks it alerting as it happens', async () => {
  const guard = Object.keys(server.logins).find((name) => name.startsWith('security_'));
  const estates = await api(server, guard, 'GET', '/api/v1/estates?limit=10');
  const estate = estates.items[0];
  // Gas alarms come only from this test: the demo's own devices never send them.
  await api(server, 'admin', 'POST', '/api/v1/alert-rules', { name: '燃气报警', kind: 'alarm', params: { types: ['gas'] }, level: 'critical' });
  const device = await api(server, 'admin', 'POST', '/api/v1/devices', {
    name: '物业厨房燃气探测器',
    kind: 'smoke',
    estate_id: estate.id,
    position: 'point',
    plan_x: Math.round(estate.plan_width / 3),
    plan_y: Math.round(estate.plan_height / 3),
  });
  const plan = await api(server, guard, 'GET', `/api/v1/estates/${estate.id}/plan`);

  const page = await newPage(browser);
  await signIn(page, server, guard);
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '平面图', exact: true }).click();
  await page.getByRole('heading', { name: '小区平面图' }).waitFor();
  await page.locator('select[name=estate]').selectOption(String(estate.id));
  const drawing = page.getByTestId('plan-drawing');
  await drawing.waitFor();
  await page.locator('.live[data-state="open"]').waitFor();

  // Every placed building is a labelled block, every placed device a marker named in words.
  assert.equal(await drawing.locator('.plan-building').count(), plan.buildings.filter(placed).length);
  assert.equal(await drawing.locator('.plan-marker').count(), plan.devices.filter(placed).length);
  await drawing.getByRole('img', { name: `楼栋 ${plan.buildings[0].name}` }).waitFor();
  const marker = drawing.locator(`.plan-marker[data-device-id="${device.id}"]`);
  assert.equal(await marker.getAttribute('data-state'), 'offline');
  assert.equal(await marker.getAttribute('aria-label'), '物业厨房燃气探测器，烟感，离线');
  await page.getByRole('region', { name: '图例' }).getByText('预警中').waitFor();

  await sendSigned(server, device.id, device.secret, [
    { device_id: device.id, event_id: 'plan-gas-1', ts: new Date().toISOString(), kind: 'alarm', type: 'gas', level: 'high' },
  ]);
  await drawing.locator(`.plan-marker[data-device-id="${device.id}"][data-state="alerting"]`).waitFor();
  const listed = page.getByTestId('plan-alerts').locator(`li[data-device-id="${device.id}"]`);
  await listed.getByText('燃气').waitFor();
  await screenshot(page, 'site-plan');

  // From the keyboard: the marker takes the focus and Enter opens the device with its alerts.
  await marker.focus();
  await page.keyboard.press('Enter');
  const details = page.getByTestId('plan-device');
  await details.getByRole('heading', { name: '物业厨房燃气探测器' }).waitFor();
  await details.getByText('预警中').waitFor();
  await details.getByTestId('device-alerts').getByText('燃气').waitFor();
  await page.context().close();
});

test('the site plan reads at 200% zoom, and an estate without a plan says so in words and leads to its form', async () => {
  const estates = await api(server, 'admin', 'GET', '/api/v1/estates?limit=10');
  const page = await newPage(browser, undefined, 2);
  await signIn(page, server, 'admin', `/plan?estate=${estates.items[0].id}`);
  await page.getByTestId('plan-drawing').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than the window`);
  await screenshot(page, 'site-plan-200-percent', false);

  const bare = await api(server, 'admin', 'POST', '/api/v1/estates', { name: '待测绘小区', region_id: estates.items[0].region_id });
  // Added after the page was drawn: reached by its address, as a link from elsewhere would.
  await page.goto(`${server.url}/plan?estate=${bare.id}`);
  await page.getByTestId('no-plan').getByText('“待测绘小区”尚未登记平面图的宽和高').waitFor();

  // The page leads to the estate's form, and with its size given the plan is drawn.
  await page.getByRole('link', { name: '填写“待测绘小区”的平面图尺寸' }).click();
  await page.getByRole('heading', { name: `小区 #${bare.id}` }).waitFor();
  await page.getByLabel('平面图宽（米）').fill('120');
  await page.getByLabel('平面图高（米）').fill('80');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存。').waitFor();
  await page.goto(`${server.url}/plan?estate=${bare.id}`);
  await page.getByTestId('plan-drawing').waitFor();
  await page.getByText('120 × 80 米').waitFor();
  await page.context().close();
});

test('an officer follows a person’s trajectory and sees the places passed numbered on the estate’s plan', async () => {
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
  await page.getByLabel('姓名').fill(person.name);
  await page.getByRole('button', { name: '查找人员' }).click();
  await page.locator('select[name=person_id]').selectOption(String(passer));
  await page.getByLabel('用途').fill('协查走失老人');
  await page.getByRole('button', { name: '查询轨迹' }).click();
  await page.getByTestId('timeline').locator('tbody tr').first().waitFor();

  const places = page.getByTestId('trajectory-places');
  const first = places.locator('figure').first();
  // The first place passed is number 1 on the plan, and the list beneath names it in words.
  await first.locator('.plan-stop[data-stops^="1"]').waitFor();
  const stops = await first.locator('.plan-stop').evaluateAll((gs) => gs.flatMap((g) => g.getAttribute('data-stops').split(',').map(Number)));
  stops.sort((a, b) => a - b);
  assert.deepEqual(
    stops,
    stops.map((_, i) => i + 1),
  );
  assert.equal(await first.locator('ol li').count(), stops.length);
  await screenshot(page, 'trajectory-places');
  await page.context().close();
});

test('an admin places a building by clicking on the plan, and a guard is offered only devices to place', async () => {
  const estates = await api(server, 'admin', 'GET', '/api/v1/estates?limit=10');
  const estate = estates.items[0];
  const plan = await api(server, 'admin', 'GET', `/api/v1/estates/${estate.id}/plan`);
  const building = plan.buildings[0];

  const page = await newPage(browser);
  await signIn(page, server, 'admin', `/plan?estate=${estate.id}`);
  const drawing = page.getByTestId('plan-drawing');
  await drawing.waitFor();
  const choice = page.getByLabel('放置到平面图');
  await choice.selectOption(`building:${building.id}`);
  await page.getByRole('status').filter({ hasText: `点击平面图放置「${building.name}」，按 Esc 取消` }).waitFor();
  assert.match(await drawing.getAttribute('class'), /\bplacing\b/);
  await screenshot(page, 'plan-placing');

  // A quarter across and half way down the plan's ground, whatever the drawing's scale on screen.
  const ground = await drawing.locator('.plan-ground').boundingBox();
  await page.mouse.click(ground.x + 0.25 * ground.width, ground.y + 0.5 * ground.height);
  await page.getByRole('status').filter({ hasText: `已将「${building.name}」放在 (` }).waitFor();
  assert.equal(await choice.inputValue(), '');
  const moved = await api(server, 'admin', 'GET', `/api/v1/buildings/${building.id}`);
  assert.ok(Math.abs(moved.plan_x - 0.25 * estate.plan_width) <= 1, `plan_x ${moved.plan_x} of ${estate.plan_width}`);
  assert.ok(Math.abs(moved.plan_y - 0.5 * estate.plan_height) <= 1, `plan_y ${moved.plan_y} of ${estate.plan_height}`);

  // While placing, a click on a marker places there instead of opening the device; Escape gives up.
  const device = plan.devices.find(placed);
  const other = plan.devices.find((d) => placed(d) && (d.plan_x !== device.plan_x || d.plan_y !== device.plan_y));
  await choice.selectOption(`device:${device.id}`);
  await page.getByRole('status').filter({ hasText: `点击平面图放置「${device.name}」` }).waitFor();
  const target = drawing.locator(`.plan-marker[data-device-id="${other.id}"]`);
  const [box, plot] = [await target.boundingBox(), await drawing.locator('.plan-ground').boundingBox()];
  await target.click();
  await page.getByRole('status').filter({ hasText: `已将「${device.name}」放在 (` }).waitFor();
  assert.equal(await page.getByTestId('plan-device').count(), 0);
  const there = await api(server, 'admin', 'GET', `/api/v1/devices/${encodeURIComponent(device.id)}`);
  const x = ((box.x + box.width / 2 - plot.x) / plot.width) * estate.plan_width;
  const y = ((box.y + box.height / 2 - plot.y) / plot.height) * estate.plan_height;
  assert.ok(Math.hypot(there.plan_x - x, there.plan_y - y) <= 1, `placed at ${there.plan_x}, ${there.plan_y}, clicked at ${x}, ${y}`);

  // The device now stands where the other's marker was: open the other from the keyboard.
  await target.focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('plan-device').getByRole('button', { name: '在图上移动' }).click();
  const placing = page.getByRole('status').filter({ hasText: `点击平面图放置「${other.name}」` });
  await placing.waitFor();
  await page.keyboard.press('Escape');
  await placing.waitFor({ state: 'detached' });
  assert.doesNotMatch(await drawing.getAttribute('class'), /\bplacing\b/);
  await page.context().close();

  const guard = Object.keys(server.logins).find((name) => name.startsWith('security_'));
  const own = (await api(server, guard, 'GET', '/api/v1/estates?limit=10')).items[0];
  const guardPage = await newPage(browser);
  await signIn(guardPage, server, guard, `/plan?estate=${own.id}`);
  await guardPage.getByTestId('plan-drawing').waitFor();
  const offered = guardPage.getByLabel('放置到平面图');
  assert.ok((await offered.locator('option[value^="device:"]').count()) > 0);
  assert.equal(await offered.locator('option[value^="building:"]').count(), 0);
  await guardPage.context().close();
});
