import { test, expect, Page, Browser } from "@playwright/test";
import { DEMO, DEMO_PASSWORD, confirmRegistration, expectAccessible, hydrated, signIn, uniqueEmail } from "./helpers";

const PASSWORD = "mật khẩu thí sinh 2026";

/** A national ID number that matches a woman born in 1998, different on every run. */
function nationalId(): string {
  return `040198${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
}

async function register(page: Page, email: string, name: string): Promise<void> {
  await page.goto("/register");
  await hydrated(page);
  await page.getByLabel("Họ và tên").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Mật khẩu", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Nhập lại mật khẩu").fill(PASSWORD);
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();
  await confirmRegistration(page, email);
  await expect(page.getByTestId("signed-in-name")).toHaveText(name);
}

async function waitSaved(page: Page): Promise<void> {
  await expect(page.getByTestId("autosave-status")).toContainText("Đã lưu lúc", { timeout: 20_000 });
}

async function newSession(browser: Browser, email: string, password: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email, password);
  await expect(page.getByTestId("signed-in-name")).toBeVisible();
  return page;
}

test("an applicant fills the form over two sessions, submits once, and follows HR's decision", async ({ page, browser }) => {
  const email = uniqueEmail("thisinh");
  const id = nationalId();
  await register(page, email, "Nguyễn Thị Hoa");

  // The applicant's home offers the open rounds.
  await page.goto("/applications");
  await hydrated(page);
  await expectAccessible(page, "applicant home");
  // The demo round modelled on Nghệ An has positions shared by several units.
  await page.locator("li", { hasText: "tỉnh Nghệ An năm 2026" }).getByRole("link", { name: "Nộp hồ sơ" }).click();
  await expect(page).toHaveURL(/\/applications\/rounds\/[0-9a-f-]{36}$/);
  const applyUrl = page.url();
  await hydrated(page);
  await expect(page.getByTestId("choice-form")).toBeVisible();
  await expectAccessible(page, "application for a round");
  await page.getByRole("link", { name: "Khai, sửa phiếu đăng ký" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Phiếu đăng ký dự tuyển (Mẫu 01)");
  await hydrated(page);
  await expectAccessible(page, "applicant's profile form");

  // First session: the personal details only; they are saved as typed.
  await expect(page.locator("#full_name")).toHaveValue("Nguyễn Thị Hoa");
  await page.locator("#dob_day").fill("05");
  await page.locator("#dob_month").fill("09");
  await page.locator("#dob_year").fill("1998");
  await page.locator("#sex").selectOption("female");
  await page.locator("#national_id").fill(id);
  await waitSaved(page);
  await expectAccessible(page, "profile form saved");

  // Second session, elsewhere: the draft is there; finish the form.
  const other = await newSession(browser, email, PASSWORD);
  await other.goto("/applications/profile");
  await hydrated(other);
  await expect(other.locator("#national_id")).toHaveValue(id);
  await expect(other.locator("#dob_year")).toHaveValue("1998");
  const fill: [string, string][] = [
    ["#id_issue_day", "10"], ["#id_issue_month", "03"], ["#id_issue_year", "2021"],
    ["#id_issue_place", "Cục Cảnh sát QLHC về TTXH"], ["#ethnicity", "Kinh"], ["#religion", "Không"],
    ["#phone", "0912 345 678"], ["#hometown", "Nghi Lộc, Nghệ An"],
    ["#permanent_address", "Số 1 Lê Lợi, Vinh"], ["#current_address", "Số 1 Lê Lợi, Vinh"],
    ["#health", "Tốt"], ["#general_education", "12/12"],
    ["#degree_0_major", "Kế toán"], ["#degree_0_institution", "Trường Đại học Vinh"],
    ["#degree_0_graduated", "06/2020"], ["#degree_0_serial", "QH-2020-001234"],
  ];
  for (const [field, value] of fill) {
    await other.locator(field).fill(value);
  }
  await other.locator("#degree_0_level").selectOption("bachelor");
  await other.locator("#degree_0_mode").selectOption("full_time");
  await other.locator("#degree_0_classification").selectOption("good");
  await waitSaved(other);
  await other.getByRole("link", { name: "Kiểm tra thông tin đã khai" }).click();
  await expect(other.locator(".task-list .tag-done")).toHaveCount(4);
  await expectAccessible(other, "check your answers");
  await other.context().close();

  // Back in the first session: choose a position shared by several units and rank them.
  await page.goto(applyUrl);
  await hydrated(page);
  await expect(page.getByText("Phiếu đăng ký đã đủ thông tin.")).toBeVisible();
  const position = page.locator("#position-select");
  const shared = position.locator("option:not([data-units='1']):not([value=''])").first();
  await position.selectOption(await shared.getAttribute("value"));
  const positionCode = (await shared.textContent())!.split(" · ")[0];
  await expect(page.getByTestId("check-answers")).toContainText(positionCode);
  const ranks = page.locator('select[name^="preferences"]');
  await expect(ranks.first()).toBeVisible();
  const count = await ranks.count();
  expect(count).toBeGreaterThan(1);
  for (let rank = 0; rank < count; rank++) {
    const select = ranks.nth(rank);
    await select.selectOption({ index: count - rank });
  }
  await page.getByRole("button", { name: "Lưu lựa chọn" }).click();
  await expect(page.getByTestId("choice-status")).toContainText("Đã lưu");
  await expectAccessible(page, "position and units chosen");

  // A degree scan: a PDF, whatever its name says.
  await page.locator("#upload-file").setInputFiles({
    name: "bang-dai-hoc.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.7\n% bản sao bằng đại học\n"),
  });
  await page.getByRole("button", { name: "Tải lên" }).click();
  await expect(page.getByTestId("documents")).toContainText("bang-dai-hoc.pdf");
  await expectAccessible(page, "document uploaded");

  // Submitting without the declaration is refused; with it, a receipt code.
  await hydrated(page);
  await page.getByRole("button", { name: "Nộp hồ sơ" }).click();
  await expect(page.getByTestId("error-summary")).toContainText("Xác nhận lời cam đoan");
  await expectAccessible(page, "submission errors");
  await page.getByLabel(/Tôi xin cam đoan/).check();
  await page.getByRole("button", { name: "Nộp hồ sơ" }).click();
  await expect(page).toHaveURL(/\/applications\/[0-9a-f-]{36}\/receipt$/);
  const code = (await page.getByTestId("receipt-code").textContent())!.trim();
  expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]$/);
  await expect(page.getByTestId("receipt")).toContainText("Nguyễn Thị Hoa");
  await expect(page.getByTestId("receipt")).toContainText("05/09/1998");
  await expectAccessible(page, "receipt");

  // Submitting again changes nothing: the same receipt.
  await page.goto(applyUrl);
  await hydrated(page);
  await expect(page.getByTestId("submitted-panel")).toContainText(code);
  await expectAccessible(page, "submitted application");
  await page.getByLabel(/Tôi xin cam đoan/).check();
  await page.getByRole("button", { name: "Cập nhật hồ sơ đã nộp" }).click();
  await expect(page.getByTestId("receipt-code")).toHaveText(code);

  // HR finds it by its code and marks it eligible.
  const hr = await newSession(browser, DEMO.hr, DEMO_PASSWORD);
  const roundId = applyUrl.split("/").pop();
  await hr.goto(`/hr/rounds/${roundId}/applications?q=${encodeURIComponent(code)}`);
  await hydrated(hr);
  const table = hr.getByTestId("screening-table");
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await expect(table).toContainText("Nguyễn Thị Hoa");
  await expect(table).toContainText("Tuổi");
  await expectAccessible(hr, "screening");
  await hr.getByLabel("Chọn tất cả").check();
  await expect(hr.getByLabel("Chọn Nguyễn Thị Hoa")).toBeChecked();
  await hr.locator("#decide-decision-select").selectOption("eligible");
  await hr.getByRole("button", { name: "Ghi nhận quyết định" }).click();
  await expect(hr.getByTestId("decided")).toContainText("1 hồ sơ");
  await expect(table).toContainText("Đủ điều kiện");
  await expectAccessible(hr, "screening decided");
  await hr.context().close();

  // The applicant sees the new status, the step in the timeline and the notification.
  await page.goto("/applications");
  await hydrated(page);
  await expect(page.getByTestId("application-status")).toHaveText("Đủ điều kiện");
  await expect(page.getByTestId("timeline")).toContainText("Hồ sơ đủ điều kiện dự tuyển");
  await expect(page.getByTestId("timeline")).toContainText("Nộp lệ phí dự tuyển");
  await expect(page.getByTestId("notifications")).toContainText("Hồ sơ đủ điều kiện dự tuyển");
  await expect(page.getByTestId("unread-badge")).toBeVisible();
  await expectAccessible(page, "applicant home with news");
  await page.getByRole("button", { name: "Đánh dấu đã đọc tất cả" }).click();
  await expect(page.getByRole("button", { name: "Đánh dấu đã đọc tất cả" })).toHaveCount(0);
  await expect(page.getByTestId("unread-badge")).toHaveCount(0);
});

test("typing while the connection is lost loses nothing", async ({ page, context }) => {
  await register(page, uniqueEmail("matmang"), "Phan Văn Bình");
  await page.goto("/applications/profile");
  await hydrated(page);
  await context.setOffline(true);
  await page.locator("#hometown").fill("Quỳnh Lưu, Nghệ An");
  await expect(page.getByTestId("autosave-status")).toContainText("Chưa lưu được", { timeout: 20_000 });
  await expectAccessible(page, "profile form offline");
  // Back online, the kept copy is saved by itself.
  await context.setOffline(false);
  await waitSaved(page);
  await page.reload();
  await hydrated(page);
  await expect(page.locator("#hometown")).toHaveValue("Quỳnh Lưu, Nghệ An");

  // A copy kept on this computer is forgotten at sign-out, for the next person here.
  await context.setOffline(true);
  await page.locator("#hometown").fill("Diễn Châu, Nghệ An");
  await expect(page.getByTestId("autosave-status")).toContainText("Chưa lưu được", { timeout: 20_000 });
  const kept = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("portal:")).length);
  expect(await kept()).toBeGreaterThan(0);
  await context.setOffline(false);
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Đăng nhập" })).toBeVisible();
  expect(await kept()).toBe(0);
});

test("after the deadline the form says so and offers nothing to change", async ({ page }) => {
  await register(page, uniqueEmail("trehan"), "Đỗ Thị Cúc");
  await page.goto("/rounds");
  await hydrated(page);
  await expectAccessible(page, "rounds");
  await page.getByRole("link", { name: /đợt 1 năm 2025/ }).first().click();
  await expect(page).toHaveURL(/\/rounds\/[0-9a-f-]{36}$/);
  await hydrated(page);
  await expectAccessible(page, "closed round notice");
  const roundId = page.url().split("/").pop();
  await page.goto(`/applications/rounds/${roundId}`);
  await hydrated(page);
  await expect(page.getByTestId("closed-notice")).toContainText("Đã hết hạn");
  await expect(page.getByTestId("submit-form")).toHaveCount(0);
  await expect(page.getByTestId("upload-form")).toHaveCount(0);
  await expect(page.locator("#position-select")).toBeDisabled();
  await expectAccessible(page, "closed application");
});

test("under the amended decree an applicant is refused a position reserved for ethnic minorities, declares every priority category and the highest counts, with no scan", async ({ page }) => {
  // The demo applicant's Mẫu 01 is complete; the second open round runs under Decree 170/2025
  // as amended by Decree 300/2026 (Art 6: every category declared, the highest counts; Art 15:
  // the application is Mẫu 01 alone, certificates come with the winner's dossier).
  await signIn(page, DEMO.applicant, DEMO_PASSWORD);
  await expect(page.getByTestId("signed-in-name")).toBeVisible();
  await page.goto("/applications");
  await page.locator("li", { hasText: "Nghị định 300/2026" }).getByRole("link", { name: "Nộp hồ sơ" }).click();
  await expect(page).toHaveURL(/\/applications\/rounds\/[0-9a-f-]{36}$/);
  await hydrated(page);
  const position = page.locator("#position-select");
  // DT-01 takes ethnic-minority candidates only (Decree 170/2025 Art 3.2.c); this applicant
  // declared Kinh on Mẫu 01, so submitting to it is refused with the reason.
  await position.selectOption({ label: (await position.locator("option", { hasText: "DT-01" }).textContent())! });
  await page.getByRole("button", { name: "Lưu lựa chọn" }).click();
  await expect(page.getByTestId("choice-status")).toContainText("Đã lưu");
  await page.getByLabel(/Tôi xin cam đoan/).check();
  await page.getByRole("button", { name: "Nộp hồ sơ" }).click();
  await expect(page.getByTestId("error-summary")).toContainText("Vị trí này chỉ tuyển người dân tộc thiểu số");
  await expectAccessible(page, "a position reserved for ethnic minorities refused");
  await position.selectOption({ label: (await position.locator("option", { hasText: "TT-01" }).textContent())! });
  const categories = page.locator("#priority_code");
  await expect(categories).toContainText("cán bộ công đoàn trưởng thành từ cơ sở, trong phong trào công nhân (+1,5)");
  await categories.getByLabel(/cán bộ công đoàn/).check();
  await categories.getByLabel(/hoàn thành nghĩa vụ quân sự/).check();
  await page.getByRole("button", { name: "Lưu lựa chọn" }).click();
  await expect(page.getByTestId("choice-status")).toContainText("Đã lưu");
  await expectAccessible(page, "priority categories declared");

  // No certificate uploaded, and none asked for.
  await page.getByLabel(/Tôi xin cam đoan/).check();
  await page.getByRole("button", { name: "Nộp hồ sơ" }).click();
  await expect(page).toHaveURL(/\/applications\/[0-9a-f-]{36}\/receipt$/);
  const receipt = page.getByTestId("receipt");
  await expect(receipt).toContainText("TT-01");
  await expect(receipt).toContainText("(+2,5)");
  await expect(receipt).toContainText("(+1,5)");
});
