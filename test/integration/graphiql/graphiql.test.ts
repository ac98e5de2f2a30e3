import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_DEMO_PASSWORD } from "../../../src/config.js";
import { startApi, type TestApi } from "../../helpers/api.js";
import { givenEncounter } from "../../helpers/encounters.js";
import { givenOrganization } from "../../helpers/organizations.js";

/** Debian's chromium package (`.ci/run` installs it), or the browser CHROMIUM_PATH names. */
const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
/** In CI the story must run: a missing browser fails it there instead of skipping. */
const skip = !existsSync(CHROMIUM) && !process.env["CI"];
const SCREENSHOTS = join(process.cwd(), "test-results", "graphiql");

const title = skip
  ? `GraphiQL in a browser — SKIPPED: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`
  : "GraphiQL in a browser";

describe.skipIf(skip)(title, () => {
  let api: TestApi;
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    api = await startApi({ GRAPHQL_INTROSPECTION: "true" });
    // A fresh profile, and nothing that reaches past this machine: the page must work offline.
    browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "chartroom-chromium-")), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
      ],
    });
    page = browser.pages()[0] ?? (await browser.newPage());
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  /** Runs one operation of the example document: GraphiQL asks which when the document holds several. */
  const run = async (operationName: string) => {
    await page.getByRole("button", { name: /Execute query/ }).click();
    await page.getByRole("menuitem", { name: operationName }).click();
  };
  /** The response pane's text; its editor shows spaces as no-break spaces. */
  const response = async () =>
    ((await page.locator(".graphiql-response").textContent()) ?? "").replaceAll("\u00a0", " ");

  it("a coder signs in, searches codes and watches new work arrive as a supervisor submits an encounter", async () => {
    const org = await givenOrganization(api);
    const failed: string[] = [];
    page.on("requestfailed", (request) => failed.push(request.url()));
    page.on("pageerror", (error) => failed.push(error.message));

    await page.goto(api.url);
    await page.getByLabel("E-mail").fill(org.email("coder2"));
    await page.getByLabel("Password").fill(DEFAULT_DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect.poll(() => page.locator("form output").textContent()).toMatch(/Signed in as coder2 \(CODER\)/);

    await run("SearchCodes");
    await expect.poll(response).toContain("E11.9");

    // The subscription is live once GraphiQL has sent it over graphql-ws, signed in with the headers' token.
    const subscribed = page
      .waitForEvent("websocket")
      .then((socket) =>
        socket.waitForEvent("framesent", (frame) => String(frame.payload).includes('"type":"subscribe"')),
      );
    await run("WorkItemEvents");
    await subscribed;
    await new Promise((resolve) => setTimeout(resolve, 400));

    const draft = await givenEncounter(org);
    const submitted = await api.gql(
      `mutation ($input: EncounterRefInput!) { submitEncounterForCoding(input: $input) { userErrors { code } } }`,
      { input: { encounterId: draft.id } },
      await org.signIn("supervisor"),
    );
    expect(submitted.data?.["submitEncounterForCoding"].userErrors).toEqual([]);
    await expect.poll(response).toMatch(/"created"[\s\S]*"Outpatient coding"/);

    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, "work-item-event.png") });
    expect(failed).toEqual([]);
  });
});
