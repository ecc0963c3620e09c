// The page as the tests see it: its controls found by role and accessible name, the names of
// shared/ui-contract.md, and the few things a person does with them again and again. Every name
// the tests rely on is written here once, so a renamed control is fixed in one place.
//
// Each function takes a Playwright page (or anything with getByRole, such as a frame locator).
// Locators are returned unresolved; actions wait only where their comment says so.

// --- The request ---

export const url = (page) => page.getByRole('textbox', { name: 'URL' });
export const subprotocols = (page) => page.getByRole('textbox', { name: 'Subprotocols' });
/** The query parameters' table; its code loads just after the page (src/lazy.rs), so read
 *  its rows once it is there. */
export const queryParameters = (page) => page.getByRole('region', { name: 'Query parameters' });
export const parameterNames = (page) => page.getByRole('textbox', { name: 'Parameter name' });
export const parameterValues = (page) => page.getByRole('textbox', { name: 'Parameter value' });

// --- The connection ---

/** The one button that reads Connect or Disconnect. The name is matched as a substring (not
 *  exact), so this finds the button in either state; it is also how tests know the app started. */
export const connectButton = (page) => page.getByRole('button', { name: 'Connect', exact: true });
export const disconnectButton = (page) => page.getByRole('button', { name: 'Disconnect' });
export const connectionState = (page) => page.getByRole('status', { name: 'Connection state' });
export const handshake = (page) => page.getByRole('region', { name: 'Handshake' });

/** Resolves once the Connection state holds `word` (a string or a RegExp), such as 'Open'. */
export const waitForState = (page, word, options) =>
  connectionState(page).filter({ hasText: word }).waitFor(options);

/** Waits two animation frames: the log's rows and counters are drawn on the next frame, so what
 *  has arrived is on screen after this. */
export const afterNextFrames = (page) =>
  page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));

/** Types `address` in URL, and `protocols` in Subprotocols when given (even '', which clears it),
 *  then presses Connect. Does not wait for the outcome: failures are tested with it too. */
export async function dial(page, address, protocols) {
  await url(page).fill(address);
  if (protocols !== undefined) await subprotocols(page).fill(protocols);
  await connectButton(page).click();
}

/** Types `address` in URL, presses Connect and waits until the connection is Open. */
export async function connect(page, address) {
  await dial(page, address);
  await waitForState(page, 'Open');
}

export const openConnectionOptions = (page) => page.getByText('Connection options', { exact: true }).click();
export const copyReportButton = (page) => page.getByRole('button', { name: 'Copy report' });

// --- Messages ---

export const message = (page) => page.getByRole('textbox', { name: 'Message' });
export const messageFormat = (page) => page.getByRole('combobox', { name: 'Message format' });
/** Exact, so that no other button with "send" in its name is taken for it. */
export const sendButton = (page) => page.getByRole('button', { name: 'Send', exact: true });

/** Types `text` in Message and sends it with Ctrl+Enter. */
export async function send(page, text) {
  await message(page).fill(text);
  await message(page).press('Control+Enter');
}

/** Types `text` in Message and presses Send. */
export async function sendWithButton(page, text) {
  await message(page).fill(text);
  await sendButton(page).click();
}

/** Saves what is in Message as a template called `name`. */
export async function addTemplate(page, name) {
  await page.getByRole('textbox', { name: 'Template name' }).fill(name);
  await page.getByRole('button', { name: 'Add template' }).click();
}

// --- The log and its counters ---

export const messageLog = (page) => page.getByRole('log', { name: 'Message log' });
/** The rows of the log that are in the page (it draws only those in view). */
export const logEntries = (page) => messageLog(page).locator('.entry');
/** The region that shows one log entry whole, once a row is opened. */
export const entryDetail = (page) => page.getByRole('region', { name: 'Entry' });
export const filterMessages = (page) => page.getByRole('searchbox', { name: 'Filter messages' });

// Exact: "Messages sent" must not also find a label that merely contains it.
export const messagesSent = (page) => page.getByLabel('Messages sent', { exact: true });
export const messagesReceived = (page) => page.getByLabel('Messages received', { exact: true });
export const messagesDropped = (page) => page.getByLabel('Messages dropped', { exact: true });

/** Resolves once Messages received reads exactly `n` (a number, or digits with separators such
 *  as '20,000'); `options` as for waitFor, such as { timeout }. */
export const received = (page, n, options) =>
  messagesReceived(page).filter({ hasText: new RegExp(`^${n}$`) }).waitFor(options);

/** Presses Export log; resolves to the Download. */
export async function exportLog(page) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export log' }).click(),
  ]);
  return download;
}

// --- Saved requests, export and import ---

export const requestName = (page) => page.getByRole('textbox', { name: 'Request name' });
export const saveRequestButton = (page) => page.getByRole('button', { name: 'Save request' });
export const savedRequests = (page) => page.getByRole('navigation', { name: 'Saved requests' });
/** The entry for the request called exactly `name` in Saved requests. */
export const savedRequest = (page, name) => savedRequests(page).getByRole('button', { name, exact: true });

/** Types `name` in Request name and presses Save request, without waiting: the save may be
 *  refused, and some tests check just that. */
export async function saveRequest(page, name) {
  await requestName(page).fill(name);
  await saveRequestButton(page).click();
}

/** Saves the request as `name` and waits until Saved requests lists it. */
export async function saveAs(page, name) {
  await saveRequest(page, name);
  await savedRequest(page, name).waitFor();
}

/** The checkbox that puts secret values into the export of saved requests. */
export const exportWithSecrets = (page) => page.getByRole('checkbox', { name: 'with secrets' });
/** The file input behind Import saved requests, for setInputFiles. */
export const importSavedRequests = (page) => page.getByLabel('Import saved requests');

/** Presses Export saved requests; resolves to the Download. */
export async function exportSavedRequests(page) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export saved requests' }).click(),
  ]);
  return download;
}

// --- Sharing ---

export const copyShareLinkButton = (page) => page.getByRole('button', { name: 'Copy share link' });
/** The read-only textbox that shows the share link. */
export const shareLinkBox = (page) => page.getByRole('textbox', { name: 'Share link' });

/** Presses Copy share link; resolves to the link. */
export async function shareLink(page) {
  await copyShareLinkButton(page).click();
  return shareLinkBox(page).inputValue();
}

// --- Environments and variables ---

export const newEnvironmentButton = (page) => page.getByRole('button', { name: 'New environment' });
export const variableName = (page) => page.getByRole('textbox', { name: 'Variable name' });
export const variableValue = (page) => page.getByRole('textbox', { name: 'Variable value' });
export const secretVariable = (page) => page.getByRole('checkbox', { name: 'Secret variable' });

/** Makes a new environment whose first variable, `name`, is secret and holds `value`. */
export async function addSecretVariable(page, name, value) {
  await newEnvironmentButton(page).click();
  await variableName(page).fill(name);
  await variableValue(page).fill(value);
  await secretVariable(page).check();
}

// --- Headers, cookies and relay ---

/** Clicks the panel's summary: this toggles it, so it opens a panel that is closed. */
export const openHeadersCookiesAndRelay = (page) => page.getByText('Headers, cookies and relay', { exact: true }).click();
/** Opens Headers, cookies and relay unless it is open already. */
export async function showHeadersCookiesAndRelay(page) {
  if (!(await page.locator('details.relay').evaluate((d) => d.open))) {
    await openHeadersCookiesAndRelay(page);
  }
}
export const cookies = (page) => page.getByLabel('Cookies', { exact: true });
export const addHeaderButton = (page) => page.getByRole('button', { name: 'Add header' });
export const useRelayCheckbox = (page) => page.getByRole('checkbox', { name: 'Use relay' });

/** Types `token` in Bearer token and presses Add Bearer token. */
export async function addBearerToken(page, token) {
  await page.getByRole('textbox', { name: 'Bearer token' }).fill(token);
  await page.getByRole('button', { name: 'Add Bearer token' }).click();
}

/** Adds a header row and fills it in. */
export async function addHeader(page, name, value) {
  await addHeaderButton(page).click();
  await page.getByRole('textbox', { name: 'Header name' }).last().fill(name);
  await page.getByRole('textbox', { name: 'Header value' }).last().fill(value);
}

/** Opens the panel if it is closed and sets Relay address and Relay token, each committed with
 *  Tab. Does not tick Use relay. */
export async function useRelay(page, address, token) {
  await showHeadersCookiesAndRelay(page);
  for (const [name, value] of [['Relay address', address], ['Relay token', token]]) {
    const field = page.getByLabel(name, { exact: true });
    await field.fill(value);
    await field.press('Tab');
  }
}

// --- Scenarios ---

export const scenario = (page) => page.getByRole('region', { name: 'Scenario' });
export const scenarioSteps = (page) => page.getByRole('list', { name: 'Scenario steps' });
/** The steps, one listitem each, in order. */
export const steps = (page) => scenarioSteps(page).getByRole('listitem').filter({ has: page.getByRole('combobox', { name: 'Step kind' }) });
export const recordScenarioButton = (page) => page.getByRole('button', { name: 'Record as scenario' });
export const addStepButton = (page) => page.getByRole('button', { name: 'Add step' });
export const runScenarioButton = (page) => page.getByRole('button', { name: 'Run scenario' });
export const runAllScenariosButton = (page) => page.getByRole('button', { name: 'Run all scenarios' });
export const scenarioResult = (page) => page.getByRole('status', { name: 'Scenario result' });

/** Presses Run scenario and resolves once Scenario result holds Passed or Failed. */
export async function runScenario(page, options) {
  await runScenarioButton(page).click();
  await scenarioResult(page).filter({ hasText: /Passed|Failed/ }).waitFor(options);
  return scenarioResult(page).innerText();
}

/** The kinds of the steps, in order, as their Step kind lists show them. */
export const stepKinds = (page) =>
  steps(page).getByRole('combobox', { name: 'Step kind' }).evaluateAll((s) => s.map((e) => e.selectedOptions[0]?.textContent));

/** Presses Download JUnit report; resolves to the Download. */
export async function downloadJunit(page) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download JUnit report' }).click(),
  ]);
  return download;
}

// --- Protocols ---

export const protocolChooser = (page) => page.getByRole('combobox', { name: 'Protocol', exact: true });
export const namespaceBox = (page) => page.getByRole('textbox', { name: 'Namespace' });
export const authPayload = (page) => page.getByRole('textbox', { name: 'Auth payload' });
export const eventBox = (page) => page.getByRole('textbox', { name: 'Event', exact: true });
export const acknowledgement = (page) => page.getByRole('checkbox', { name: 'Acknowledgement' });
export const emitButton = (page) => page.getByRole('button', { name: 'Emit' });
export const methodBox = (page) => page.getByRole('textbox', { name: 'Method' });
export const notificationBox = (page) => page.getByRole('checkbox', { name: 'Notification' });
export const callButton = (page) => page.getByRole('button', { name: 'Call', exact: true });
export const latency = (page) => page.getByRole('region', { name: 'Latency' });

/** Types `event` and `args` (a JSON array) and presses Emit, asking for an acknowledgement
 *  when `ack` is true. */
export async function emit(page, event, args, { ack = false } = {}) {
  await eventBox(page).fill(event);
  await message(page).fill(args);
  await acknowledgement(page).setChecked(ack);
  await emitButton(page).click();
}

/** Types `method` and `params` and presses Call. */
export async function call(page, method, params) {
  await methodBox(page).fill(method);
  await message(page).fill(params);
  await callButton(page).click();
}

export const graphqlProtocol = (page) => page.getByRole('combobox', { name: 'GraphQL protocol' });
export const connectionPayload = (page) => page.getByRole('textbox', { name: 'Connection payload' });
export const graphqlVariables = (page) => page.getByRole('textbox', { name: 'Variables' });
export const subscribeButton = (page) => page.getByRole('button', { name: 'Subscribe', exact: true });
export const subscriptions = (page) => page.getByRole('list', { name: 'Subscriptions' });
/** The Subscriptions list's item for the operation `id`. */
export const subscription = (page, id) =>
  subscriptions(page).getByRole('listitem').filter({ hasText: new RegExp(`^#${id}(?!\\d)`) });

/** Types the operation and its variables and presses Subscribe. */
export async function subscribe(page, query, variables = '') {
  await message(page).fill(query);
  await graphqlVariables(page).fill(variables);
  await subscribeButton(page).click();
}

/** The received row (in view) whose text matches `text`. */
export const logRow = (page, text) => messageLog(page).locator('.entry.received').filter({ hasText: text });

export const mqttTopic = (page) => page.getByRole('textbox', { name: 'Topic', exact: true });
export const mqttQos = (page) => page.getByRole('combobox', { name: 'QoS', exact: true });
export const mqttVersion = (page) => page.getByRole('combobox', { name: 'MQTT version' });
export const mqttUser = (page) => page.getByRole('textbox', { name: 'User name' });
/** Password fields have no textbox role; found by their label, in the MQTT panel. */
export const mqttPassword = (page) => page.getByRole('region', { name: 'MQTT' }).getByLabel('Password', { exact: true });
export const publishButton = (page) => page.getByRole('button', { name: 'Publish', exact: true });

/** Types the topic and QoS and presses Subscribe. */
export async function mqttSubscribe(page, filter, qos = 0) {
  await mqttTopic(page).fill(filter);
  await mqttQos(page).selectOption(String(qos));
  await subscribeButton(page).click();
}

/** Types the topic, QoS and payload, sets Retain, and presses Publish. */
export async function mqttPublish(page, topic, payload, { qos = 0, retain = false } = {}) {
  await mqttTopic(page).fill(topic);
  await mqttQos(page).selectOption(String(qos));
  await page.getByRole('checkbox', { name: 'Retain', exact: true }).setChecked(retain);
  await message(page).fill(payload);
  await publishButton(page).click();
}

export const stompRegion = (page) => page.getByRole('region', { name: 'STOMP' });
export const stompDestination = (page) => page.getByRole('textbox', { name: 'Destination', exact: true });
export const stompLogin = (page) => page.getByRole('textbox', { name: 'Login', exact: true });
/** Password fields have no textbox role; found by their label, in the STOMP panel. */
export const stompPasscode = (page) => stompRegion(page).getByLabel('Passcode', { exact: true });
export const stompHost = (page) => page.getByRole('textbox', { name: 'Virtual host' });
export const stompAck = (page) => page.getByRole('combobox', { name: 'Ack mode' });
export const stompHeaders = (page) => stompRegion(page).getByRole('textbox', { name: 'Headers', exact: true });
export const sendToDestinationButton = (page) => page.getByRole('button', { name: 'Send to destination' });

/** Types the destination, chooses the ack mode and presses Subscribe. */
export async function stompSubscribe(page, destination, ack = 'auto') {
  await stompDestination(page).fill(destination);
  await stompAck(page).selectOption(ack);
  await subscribeButton(page).click();
}

/** Types the destination, the headers and the body, and presses Send to destination. */
export async function stompSend(page, destination, body, headers = '') {
  await stompDestination(page).fill(destination);
  await stompHeaders(page).fill(headers);
  await message(page).fill(body);
  await sendToDestinationButton(page).click();
}
