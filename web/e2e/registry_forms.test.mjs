// The registry's forms in Chromium against a real `anju demo`: buildings, rooms, rentals, devices
// and vehicles added and changed by the roles that keep them, references picked by name, and the
// API's refusals shown beside the field they name.
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

const loginStarting = (prefix) => Object.keys(server.logins).find((name) => name.startsWith(prefix));

// A grid worker of a community with an estate (the small demo district leaves some without one),
// and that estate.
async function gridWorker() {
  for (const name of Object.keys(server.logins).filter((n) => n.startsWith('grid_'))) {
    const estates = (await api(server, name, 'GET', '/api/v1/estates?limit=1')).items;
    if (estates.length > 0) return { worker: name, estate: estates[0] };
  }
  throw new Error('no grid worker has an estate in the demo district');
}
const savedId = (page) => decodeURIComponent(/\/registry\/[a-z]+\/([^/?]+)/.exec(page.url())[1]);

test('a grid worker adds a building, a room in it after fixing what the API refused, and a rental of that room with its landlord found by name', async () => {
  const { worker, estate } = await gridWorker();
  const landlord = (await api(server, worker, 'GET', `/api/v1/persons?estate_id=${estate.id}&limit=1`)).items[0];
  const page = await newPage(browser);
  await signIn(page, server, worker, '/registry/buildings');
  await page.getByRole('link', { name: '新增楼栋' }).click();
  await page.getByRole('heading', { name: '新增楼栋' }).waitFor();
  await page.getByLabel('小区').selectOption(String(estate.id));
  await page.getByLabel('楼栋名称').fill('测试楼甲');
  await page.getByLabel('层数').fill('6');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存。').waitFor();
  await page.waitForURL(/\/registry\/buildings\/\d+\?created=1$/);
  const buildingId = Number(savedId(page));
  assert.equal((await api(server, worker, 'GET', `/api/v1/buildings/${buildingId}`)).estate_id, estate.id);

  // A room: the building is picked within its estate, and a floor out of range is refused by name.
  await page.goto(`${server.url}/registry/rooms/new`);
  await page.getByRole('heading', { name: '新增房屋' }).waitFor();
  await page.getByLabel('小区').selectOption(String(estate.id));
  await page.getByLabel('楼栋').selectOption({ label: '测试楼甲' });
  await page.getByLabel('房号').fill('101');
  await page.getByLabel('楼层').fill('500');
  await page.getByRole('button', { name: '保存' }).click();
  await page.locator('#floor-error').waitFor();
  assert.equal(await page.getByLabel('楼层').getAttribute('aria-invalid'), 'true');
  await screenshot(page, 'room-form-error');
  await page.getByLabel('楼层').fill('1');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存。').waitFor();
  await page.waitForURL(/\/registry\/rooms\/\d+\?created=1$/);
  const roomId = Number(savedId(page));

  await page.goto(`${server.url}/registry/rooms?building_id=${buildingId}`);
  const rooms = page.getByTestId('registry-table').locator('tbody tr');
  await rooms.filter({ hasText: '101' }).waitFor();
  assert.equal(await rooms.count(), 1);

  // A rental of that room, its landlord found by name.
  await page.getByRole('link', { name: '出租屋', exact: true }).click();
  await page.getByRole('link', { name: '新增出租屋' }).click();
  await page.getByLabel('小区').selectOption(String(estate.id));
  await page.getByLabel('楼栋').selectOption({ label: '测试楼甲' });
  await page.getByLabel('房屋').selectOption(String(roomId));
  await page.getByLabel('查找人员（姓名或身份证号）').fill(landlord.name);
  await page.getByLabel('查找人员（姓名或身份证号）').press('Enter');
  await page.getByLabel('选择人员').selectOption(String(landlord.id));
  await page.getByLabel('租住人数').fill('3');
  await page.getByLabel('状态').selectOption('active');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存。').waitFor();
  await page.waitForURL(/\/registry\/rentals\/\d+\?created=1$/);
  const rental = await api(server, worker, 'GET', `/api/v1/rentals/${savedId(page)}`);
  assert.equal(rental.room_id, roomId);
  assert.equal(rental.landlord_id, landlord.id);
  assert.equal(rental.tenant_count, 3);

  // Opened again, the form finds the room's estate and building and names the landlord.
  await page.reload();
  await page.getByRole('heading', { name: /出租屋 #\d+/ }).waitFor();
  await page.getByTestId('landlord_id-chosen').getByText(landlord.name).waitFor();
  await page.locator(`select[name="room_id"] option[value="${roomId}"]`).waitFor({ state: 'attached' });
  assert.equal(await page.getByLabel('房屋').inputValue(), String(roomId));
  assert.equal(await page.getByLabel('楼栋').inputValue(), String(buildingId));
  await screenshot(page, 'rental-form');
  await page.context().close();
});

test('a grid worker adds an estate in their community, told first that a site plan needs both its sides', async () => {
  const { worker } = await gridWorker();
  const page = await newPage(browser);
  await signIn(page, server, worker, '/registry/estates');
  await page.getByTestId('registry-table').waitFor();
  await page.getByRole('link', { name: '新增小区' }).click();
  await page.getByLabel('小区名称').fill('测试家园');
  await page.getByLabel('封闭类型').selectOption('semi_closed');
  await page.getByLabel('平面图宽（米）').fill('240');
  await page.getByRole('button', { name: '保存' }).click();
  await page.locator('#plan_height-error').waitFor();
  await page.getByLabel('平面图高（米）').fill('180');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存。').waitFor();
  await page.waitForURL(/\/registry\/estates\/\d+\?created=1$/);
  const estate = await api(server, worker, 'GET', `/api/v1/estates/${savedId(page)}`);
  assert.deepEqual([estate.name, estate.closure, estate.plan_width, estate.plan_height], ['测试家园', 'semi_closed', 240, 180]);
  // It lies in the worker's own community, so it is theirs to see and keep.
  const mine = await api(server, worker, 'GET', '/api/v1/estates?q=测试家园');
  assert.equal(mine.items.length, 1);
  await page.context().close();
});

test('security staff register a door, get its signing secret once, the door signs with it, and its name is changed later', async () => {
  const guard = loginStarting('security_');
  const estate = (await api(server, guard, 'GET', '/api/v1/estates?limit=1')).items[0];
  const page = await newPage(browser);
  await signIn(page, server, guard, '/registry/rooms');
  await page.getByTestId('registry-table').waitFor();
  // Rooms are the grid workers' and police's to keep.
  assert.equal(await page.getByRole('link', { name: '新增房屋' }).count(), 0);

  await page.getByRole('link', { name: '设备', exact: true }).click();
  await page.getByRole('link', { name: '新增设备' }).click();
  await page.getByLabel('设备编号').fill('E2E-DOOR-1');
  await page.getByLabel('名称').fill('测试门禁');
  await page.getByLabel('类型').selectOption('door');
  await page.getByLabel('小区').selectOption(String(estate.id));
  await page.getByLabel('方向').selectOption('both');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByRole('heading', { name: '设备 E2E-DOOR-1' }).waitFor();
  const secret = (await page.getByTestId('device-secret').locator('code').textContent()).trim();
  assert.match(secret, /^[0-9a-f]{32}$/);
  await screenshot(page, 'device-secret');
  await sendSigned(server, 'E2E-DOOR-1', secret, [{ device_id: 'E2E-DOOR-1', event_id: 'form-1', ts: new Date().toISOString(), kind: 'heartbeat' }]);

  await page.getByLabel('名称').fill('测试门禁（东）');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存。').waitFor();
  await page.reload();
  await page.getByRole('heading', { name: '设备 E2E-DOOR-1' }).waitFor();
  assert.equal(await page.getByLabel('名称').inputValue(), '测试门禁（东）');
  assert.equal(await page.getByTestId('device-secret').count(), 0);
  assert.ok(await page.getByLabel('类型').isDisabled());
  const device = await api(server, guard, 'GET', '/api/v1/devices/E2E-DOOR-1');
  assert.equal(device.name, '测试门禁（东）');
  assert.equal(device.kind, 'door');
  await page.context().close();
});

test('an admin adds a vehicle after a plate the API refuses, its owner found by ID number, and finds it by plate', async () => {
  const owner = (await api(server, 'admin', 'GET', '/api/v1/persons?limit=50')).items.find((p) => p.id_number);
  const page = await newPage(browser);
  await signIn(page, server, 'admin', '/registry/vehicles/new');
  await page.getByRole('heading', { name: '新增车辆' }).waitFor();
  await page.getByLabel('车牌号').fill('冀C1234');
  await page.getByLabel('查找人员（姓名或身份证号）').fill(owner.id_number);
  await page.getByRole('button', { name: '查找' }).click();
  await page.getByLabel('选择人员').selectOption(String(owner.id));
  await page.getByRole('button', { name: '保存' }).click();
  await page.locator('#plate-error').waitFor();
  assert.equal(await page.getByLabel('车牌号').getAttribute('aria-invalid'), 'true');

  await page.getByLabel('车牌号').fill('冀C·D12345');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存。').waitFor();
  const vehicle = await api(server, 'admin', 'GET', `/api/v1/vehicles/${savedId(page)}`);
  assert.equal(vehicle.person_id, owner.id);
  assert.equal(vehicle.plate_color, 'green');
  assert.equal(await page.getByLabel('车牌号').inputValue(), vehicle.plate);

  await page.getByRole('link', { name: '车辆', exact: true }).click();
  await page.getByLabel('车牌号').fill(vehicle.plate);
  await page.getByLabel('车牌号').press('Enter');
  await page.getByTestId('registry-table').locator('tbody tr', { hasText: vehicle.plate }).waitFor();
  await page.context().close();
});
