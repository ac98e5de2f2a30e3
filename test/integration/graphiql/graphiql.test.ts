import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_DEMO_PASSWORD } from "../../../src/environment.js";
import { startApi, type TestApi } from "../../helpers/api.js";
import { givenEncounter } from "../../helpers/encounters.js";
import { givenOrganization } from "../../helpers/organizations.js";

/** Debian's chromium package (`.ci/run` installs it), or the browser CHROMIUM_PATH names. */
const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
/** In CI the story must run: a missing browser fails it there instead of skipping. */
const skip = !existsSync(CHROMIUM) && !process.env["CI"];
const SCREENSHOTS = join(process.cwd(), "test-results", "graphiql");
/** How long the page may take to show an answer: sign-in hashes a password, on a machine running other tests too. */
const PATIENCE = { timeout: 30_000 };
/** The first visit bundles the page (seconds), then the story waits on sign-in, a search and an event. */
const BROWSER_STORY_MS = 120_000;

const title = skip
  ? `GraphiQL in a browser — SKIPPED: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`
  : "GraphiQL in a browser";

/** A front-end's page on an origin of its own (127.0.0.1, where the API is localhost): blank, for a story's script. */
async function frontEnd(): Promise<{ origin: string; close(): void }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>A front-end</title>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

describe.skipIf(skip)(title, () => {
  let api: TestApi;
  let browser: BrowserContext;
  let page: Page;
  let named: Awaited<ReturnType<typeof frontEnd>>;
  let unnamed: Awaited<ReturnType<typeof frontEnd>>;

  beforeAll(async () => {
    [named, unnamed] = [await frontEnd(), await frontEnd()];
    api = await startApi({ GRAPHQL_INTROSPECTION: "true", CORS_ORIGINS: named.origin });
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
    named?.close();
    unnamed?.close();
  });

  /** Runs one operation of the example document: GraphiQL asks which when the document holds several. */
  const run = async (operationName: string) => {
    await page.getByRole("button", { name: /Execute query/ }).click();
    await page.getByRole("menuitem", { name: operationName }).click();
  };
  /** The response pane's text; its editor shows spaces as no-break spaces. */
  const response = async () =>
    ((await page.locator(".graphiql-response").textContent()) ?? "").replaceAll("\u00a0", " ");

  it(
    "a coder signs in, searches codes and watches new work arrive as a supervisor submits an encounter",
    async () => {
      const org = await givenOrganization(api);
      const failed: string[] = [];
      page.on("requestfailed", (request) => failed.push(request.url()));
      page.on("pageerror", (error) => failed.push(error.message));

      await page.goto(api.url);
      await page.getByLabel("E-mail").fill(org.email("coder2"));
      await page.getByLabel("Password").fill(DEFAULT_DEMO_PASSWORD);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await expect
        .poll(() => page.locator("form output").textContent(), PATIENCE)
        .toMatch(/Signed in as coder2 \(CODER\)/);

      await run("SearchCodes");
      await expect.poll(response, PATIENCE).toContain("E11.9");

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
      await expect.poll(response, PATIENCE).toMatch(/"created"[\s\S]*"Outpatient coding"/);

      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, "work-item-event.png") });
      expect(failed).toEqual([]);
    },
    BROWSER_STORY_MS,
  );

  it("a page on an origin CORS_ORIGINS names calls the API with a coder's token; a page elsewhere cannot", async () => {
    const token = await api.signIn("coder3@demo.chartroom.test");
    const callFrom = async (origin: string) => {
      const tab = await browser.newPage();
      await tab.goto(origin);
      const answer = await tab.evaluate(
        async ([url, token]) => {
          try {
            const response = await fetch(url!, {
              method: "POST",
              headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
              body: JSON.stringify({ query: "{ viewer { email } }" }),
            });
            return await response.json();
          } catch (error) {
            return String(error);
          }
        },
        [api.url, token],
      );
      await tab.close();
      return answer;
    };
    expect(await callFrom(named.origin)).toEqual({ data: { viewer: { email: "coder3@demo.chartroom.test" } } });
    expect(await callFrom(unnamed.origin)).toMatch(/Failed to fetch/);
  });
});
