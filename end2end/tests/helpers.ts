import { expect, Page } from "@playwright/test";

export const DEMO_PASSWORD = "demo-tuyendung-2026";
export const DEMO = {
  applicant: "thisinh@demo.example",
  marker: "chamthi@demo.example",
  marker2: "chamthi2@demo.example",
  marker3: "chamthi3@demo.example",
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

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Đăng nhập" })).toBeVisible();
}
