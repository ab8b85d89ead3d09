import { test, expect } from "@playwright/test";
import { DEMO, DEMO_PASSWORD, confirmRegistration, expectAccessible } from "./helpers";

// A cheap phone may never run the WebAssembly: the forms must work as plain HTML.
test.use({ javaScriptEnabled: false });

test("signing in and out works without JavaScript", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(DEMO.chair);
  await page.getByLabel("Mật khẩu").fill("not the right one at all");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByTestId("error-summary")).toContainText("Email hoặc mật khẩu không đúng");
  await expectAccessible(page, "sign-in error without JavaScript");

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
  await expectAccessible(page, "home page in English without JavaScript");
  await page.getByRole("link", { name: "Chuyển sang tiếng Việt" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tuyển dụng công chức tỉnh");
});

test("an applicant fills the form, uploads a scan and submits without JavaScript", async ({ page }) => {
  const email = `khongjs.${Date.now()}@example.vn`;
  const password = "mật khẩu thí sinh 2026";
  await page.goto("/register");
  await page.getByLabel("Họ và tên").fill("Lê Thị Thu");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Mật khẩu", { exact: true }).fill(password);
  await page.getByLabel("Nhập lại mật khẩu").fill(password);
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();
  await confirmRegistration(page, email);
  await expect(page.getByTestId("signed-in-name")).toHaveText("Lê Thị Thu");

  // The whole form with the Save button; a mistake comes back beside its field, nothing lost.
  await page.goto("/applications/profile");
  const id = `040199${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
  const fill: [string, string][] = [
    ["#dob_day", "1"], ["#dob_month", "2"], ["#dob_year", "1999"], ["#national_id", id],
    ["#id_issue_day", "10"], ["#id_issue_month", "3"], ["#id_issue_year", "2021"],
    ["#id_issue_place", "Cục Cảnh sát QLHC về TTXH"], ["#ethnicity", "Thái"], ["#religion", "Không"],
    ["#phone", "12345"], ["#hometown", "Con Cuông, Nghệ An"],
    ["#permanent_address", "Bản Khe Choăng, xã Con Cuông"], ["#current_address", "Bản Khe Choăng, xã Con Cuông"],
    ["#health", "Tốt"], ["#general_education", "12/12"],
    ["#degree_0_major", "Luật"], ["#degree_0_institution", "Trường Đại học Luật Hà Nội"],
    ["#degree_0_graduated", "06/2021"], ["#degree_0_serial", "LHN-2021-0042"],
  ];
  for (const [field, value] of fill) {
    await page.locator(field).fill(value);
  }
  await page.locator("#sex").selectOption("female");
  await page.locator("#degree_0_level").selectOption("bachelor");
  await page.locator("#degree_0_mode").selectOption("full_time");
  await page.locator("#degree_0_classification").selectOption("very_good");
  await page.getByRole("button", { name: "Lưu phiếu" }).click();
  await expect(page.locator("#national_id")).toHaveValue(id);
  await page.getByRole("link", { name: "Kiểm tra thông tin đã khai" }).click();
  await expect(page.getByTestId("error-summary")).toContainText("Số điện thoại: Nhập số điện thoại Việt Nam");
  await expectAccessible(page, "check your answers with a mistake, without JavaScript");
  await expect(page.locator("#ethnicity")).toHaveValue("Thái");
  await page.locator("#phone").fill("0987 654 321");
  await page.getByRole("button", { name: "Lưu phiếu" }).click();
  await page.getByRole("link", { name: "Kiểm tra thông tin đã khai" }).click();
  await expect(page.getByTestId("error-summary")).toHaveCount(0);
  await expect(page.locator(".task-list .tag-done")).toHaveCount(4);

  // Apply: a position in one unit, a scan, the declaration.
  await page.goto("/applications");
  await page.locator("li", { hasText: "tỉnh Nghệ An năm 2026" }).getByRole("link", { name: "Nộp hồ sơ" }).click();
  const position = page.locator("#position-select");
  const single = position.locator("option[data-units='1']").first();
  await position.selectOption(await single.getAttribute("value"));
  await page.getByRole("button", { name: "Lưu lựa chọn" }).click();
  await expect(page.locator("#position-select")).toHaveValue((await single.getAttribute("value"))!);
  await page.locator("#upload-file").setInputFiles({
    name: "bang.png",
    mimeType: "image/png",
    buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]),
  });
  await page.getByRole("button", { name: "Tải lên" }).click();
  await expect(page.getByTestId("documents")).toContainText("bang.png");
  // A file that only claims to be a PDF is refused with the reason.
  await page.locator("#upload-file").setInputFiles({
    name: "gia.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("<html>not a scan</html>"),
  });
  await page.getByRole("button", { name: "Tải lên" }).click();
  await expect(page.getByTestId("error-summary")).toContainText("Chỉ nhận tệp PDF, JPEG hoặc PNG");
  await expectAccessible(page, "upload refused without JavaScript");
  await page.getByLabel(/Tôi xin cam đoan/).check();
  await page.getByRole("button", { name: "Nộp hồ sơ" }).click();
  await expect(page).toHaveURL(/\/applications\/[0-9a-f-]{36}\/receipt$/);
  await expect(page.getByTestId("receipt-code")).toHaveText(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]$/);
  await expect(page.getByTestId("receipt")).toContainText("040•••••");
  await expectAccessible(page, "receipt without JavaScript");
});
