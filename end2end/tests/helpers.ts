import AxeBuilder from "@axe-core/playwright";
import { Browser, expect, Page } from "@playwright/test";

export const DEMO_PASSWORD = "demo-tuyendung-2026";
export const DEMO = {
  applicant: "thisinh@demo.example",
  marker: "chamthi@demo.example",
  marker2: "chamthi2@demo.example",
  marker3: "chamthi3@demo.example",
  marker4: "chamthi4@demo.example",
  chair: "truongban@demo.example",
  hr: "nhansu@demo.example",
  admin: "quantri@demo.example",
};

/** What a script calling a server function sends to say where it comes from (the portal
 * refuses writes that show neither Origin nor Sec-Fetch-Site). */
export const FROM_THE_SITE = { Origin: process.env.E2E_BASE_URL ?? "http://127.0.0.1:3100" };

/** A fresh address for each run, so journeys never collide with earlier data. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@example.vn`;
}

/** Waits until the WebAssembly has taken over the server-rendered page. */
export async function hydrated(page: Page): Promise<void> {
  await page.locator("body[data-hydrated]").waitFor({ state: "attached", timeout: 30_000 });
}

export async function signIn(page: Page, email: string, password: string, next?: string): Promise<void> {
  await page.goto(next ? `/login?next=${encodeURIComponent(next)}` : "/login");
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Mật khẩu").fill(password);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
}

/**
 * The registration code e-mailed to `email`, read as its owner would read the e-mail: here
 * from the portal's outbox (/admin/outbox, as the demo administrator), where a portal without
 * SMTP keeps every e-mail it sends.
 */
export async function registrationCode(browser: Browser, email: string): Promise<string> {
  // The administrator's own browser, with JavaScript (the journey's may have it turned off).
  const context = await browser.newContext({ javaScriptEnabled: true });
  const admin = await context.newPage();
  await signIn(admin, DEMO.admin, DEMO_PASSWORD);
  await expect(admin.getByTestId("signed-in-name")).toBeVisible();
  await admin.goto("/admin/outbox");
  const mail = admin.getByTestId("outbox").locator("details", { hasText: email }).first();
  const body = (await mail.locator("pre").textContent()) ?? "";
  await context.close();
  const code = /Mã xác nhận: ([0-9A-Z]{4}-[0-9A-Z]{4})/.exec(body)?.[1];
  expect(code, `a registration code in: ${body}`).toBeTruthy();
  return code ?? "";
}

/**
 * After "Tạo tài khoản": the page asks for the code e-mailed to `email` (and looks the same
 * whether or not the address already had an account); typing it creates the account and
 * signs in. With `keyboard`, the code is typed and sent with Enter.
 */
export async function confirmRegistration(page: Page, email: string, keyboard = false): Promise<void> {
  await expect(page).toHaveURL(/\/register\/confirm\?email=/);
  await expect(page.getByLabel("Email")).toHaveValue(email);
  const browser = page.context().browser();
  if (!browser) throw new Error("no browser to read the e-mail with");
  const code = await registrationCode(browser, email);
  const field = page.getByLabel("Mã xác nhận");
  if (keyboard) {
    await field.focus();
    await page.keyboard.type(code);
    await page.keyboard.press("Enter");
  } else {
    await field.fill(code);
    await page.getByRole("button", { name: "Xác nhận và đăng nhập" }).click();
  }
  await expect(page).toHaveURL(/\/account$/);
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Đăng nhập" })).toBeVisible();
}

/** The WCAG 2.0 and 2.1 rules at levels A and AA; `color-contrast` is one of them. */
const WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/**
 * Runs axe-core on the page as it is now and fails on every serious or critical violation,
 * one line per element: rule, impact, what to do, where (and why, for contrast). `label`
 * names the state checked, such as "registration errors", in the failure message. The check is
 * soft: the journey goes on, so one run lists the problems of every page it visits.
 *
 * axe is a script, so a page opened without JavaScript is checked as a copy: the same HTML, at
 * the same address, with the same stylesheet, in a tab where scripts run but the portal's own
 * are kept out (they would hydrate it).
 */
export async function expectAccessible(page: Page, label?: string): Promise<void> {
  const where = `${label ?? "page"} (${new URL(page.url()).pathname})`;
  const report = (await runsScripts(page)) ? await problems(page) : await problemsOfCopy(page);
  expect.soft(report, `accessibility problems on ${where}:\n${report.join("\n")}`).toEqual([]);
}

async function problems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_AA).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) =>
      v.nodes.map((node) => {
        const why = node.failureSummary?.split("\n").slice(1).join(" ").trim();
        return `- ${v.id} (${v.impact}): ${v.help}\n    at ${node.target.join(" ")}${why ? `\n    ${why}` : ""}`;
      }),
    );
}

/** Whether the page's own timers fire: they never do where JavaScript is turned off. */
async function runsScripts(page: Page): Promise<boolean> {
  const timer = page
    .evaluate(() => new Promise<boolean>((fired) => setTimeout(() => fired(true), 0)))
    .catch(() => false);
  return Promise.race([timer, new Promise<boolean>((late) => setTimeout(() => late(false), 2_000))]);
}

async function problemsOfCopy(page: Page): Promise<string[]> {
  const url = page.url();
  const html = await page.content();
  // Contexts made in a test take the test's options, so scripts must be turned on again.
  const context = await page.context().browser()!.newContext({ javaScriptEnabled: true });
  try {
    const copy = await context.newPage();
    await copy.route(/\/pkg\/.*\.(js|wasm)$/, (route) => route.abort());
    await copy.route((address) => address.href === url, (route) =>
      route.fulfill({ contentType: "text/html; charset=utf-8", body: html }),
    );
    await copy.goto(url);
    return await problems(copy);
  } finally {
    await context.close();
  }
}
