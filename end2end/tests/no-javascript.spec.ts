import { test, expect } from "@playwright/test";
import { DEMO, DEMO_PASSWORD } from "./helpers";

// A cheap phone may never run the WebAssembly: the forms must work as plain HTML.
test.use({ javaScriptEnabled: false });

test("signing in and out works without JavaScript", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(DEMO.chair);
  await page.getByLabel("Mật khẩu").fill("not the right one at all");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByTestId("error-summary")).toContainText("Email hoặc mật khẩu không đúng");

  await page.getByLabel("Email").fill(DEMO.chair);
  await page.getByLabel("Mật khẩu").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByTestId("signed-in-name")).toHaveText("Lê Văn Cường");
  await expect(page.getByRole("link", { name: "Hội đồng chấm thi" })).toBeVisible();

  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Đăng nhập" })).toBeVisible();
});

test("the language switch works without JavaScript", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Switch to English" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Provincial civil-servant recruitment");
  await page.getByRole("link", { name: "Chuyển sang tiếng Việt" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tuyển dụng công chức tỉnh");
});
