import { test, expect, Page } from "@playwright/test";
import { DEMO, DEMO_PASSWORD, FROM_THE_SITE, expectAccessible, hydrated, signIn } from "./helpers";

/** A datetime-local value `days` from now, in Vietnam time. */
function vietnamTime(days: number, hour: number): string {
  const at = new Date(Date.now() + days * 86_400_000 + 7 * 3_600_000);
  return `${at.toISOString().slice(0, 10)}T${String(hour).padStart(2, "0")}:00`;
}

async function createRound(page: Page, name: string): Promise<void> {
  await page.goto("/hr/rounds");
  await hydrated(page);
  await expectAccessible(page, "HR rounds");
  await page.getByLabel("Tên kỳ tuyển dụng").fill(name);
  await page.getByLabel("Cơ quan tuyển dụng").fill("Ủy ban nhân dân tỉnh Nghệ An");
  await page.getByLabel("Nội dung thông báo tuyển dụng").fill("Thông báo tuyển dụng công chức.\nNộp hồ sơ trực tuyến.");
  await page.getByLabel("Bắt đầu nhận hồ sơ (giờ Việt Nam)").fill(vietnamTime(-1, 8));
  await page.getByLabel("Hạn cuối nhận hồ sơ (giờ Việt Nam)").fill(vietnamTime(40, 17));
  await expect(page.getByLabel("Bộ quy định áp dụng")).toContainText("Nghị định 170/2025/NĐ-CP (v1)");
  await page.getByRole("button", { name: "Tạo kỳ tuyển dụng (bản nháp)" }).click();
  await expect(page).toHaveURL(/\/hr\/rounds\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("round-status")).toHaveText("Bản nháp");
  await hydrated(page);
  await expectAccessible(page, "draft round");
}

async function addPosition(page: Page, code: string, title: string, unit: [string, string], quota: string, ethnicMinorityOnly = false) {
  await page.locator("#pos-code").fill(code);
  await page.locator("#pos-title").fill(title);
  await page.locator("#pos-unit_code").fill(unit[0]);
  await page.locator("#pos-unit_name").fill(unit[1]);
  await page.locator("#pos-quota").fill(quota);
  // New rounds run under Decree 170/2025 as amended: each position states rank and method.
  await page.locator("#pos-rank").selectOption("chuyen_vien");
  await page.locator("#pos-method").selectOption("exam");
  await page.locator("#pos-min_degree").selectOption("bachelor");
  await page.locator("#pos-stage2_format").selectOption("written");
  if (ethnicMinorityOnly) await page.getByLabel(/Chỉ tuyển người dân tộc thiểu số/).check();
  await page.getByRole("button", { name: "Thêm vị trí" }).click();
  await expect(page.getByTestId("positions-table").locator(`tr[data-code="${code}"]`)).toBeVisible();
}

test("an HR officer sets up and opens a round, and the public sees it with its quotas", async ({ page, browser }) => {
  const name = `Kỳ thi tuyển công chức thử nghiệm ${Date.now()}`;
  await signIn(page, DEMO.hr, DEMO_PASSWORD);
  await expect(page.getByTestId("signed-in-name")).toHaveText("Phạm Thị Dung");
  await createRound(page, name);

  // Opening an empty round is refused with the reason.
  await page.getByTestId("advance").click();
  await expect(page.getByTestId("error-summary")).toContainText("kỳ tuyển dụng chưa có vị trí nào");
  await expectAccessible(page, "round cannot open");
  await expect(page.getByTestId("round-status")).toHaveText("Bản nháp");

  await addPosition(page, "TC-01", "Chuyên viên quản lý ngân sách", ["STC", "Sở Tài chính"], "3");
  // Decree 170/2025 Art 3.2.c: a position reserved for ethnic-minority candidates.
  await addPosition(page, "NV-01", "Chuyên viên tổ chức, biên chế", ["SNV", "Sở Nội vụ"], "2", true);
  // A position entered by mistake is removed again (a draft needs no reason).
  await addPosition(page, "XX-99", "Vị trí nhập nhầm", ["SNV", "Sở Nội vụ"], "1");
  await page.locator("#remove-position_id").selectOption({ label: "XX-99 · Vị trí nhập nhầm" });
  await page.getByRole("button", { name: "Xóa vị trí" }).click();
  await expect(page.getByTestId("positions-table").locator('tr[data-code="XX-99"]')).toHaveCount(0);
  await expect(page.getByTestId("audit-log")).toContainText("Xóa vị trí — XX-99");

  await page.getByTestId("advance").click();
  await expect(page.getByTestId("round-status")).toHaveText("Đang nhận hồ sơ");

  // Once open, a change without a reason is refused and what was typed stays in the form.
  await page.locator("#pos-code").fill("XD-01");
  await page.locator("#pos-title").fill("Chuyên viên quản lý xây dựng");
  await page.locator("#pos-unit_code").fill("SXD");
  await page.locator("#pos-unit_name").fill("Sở Xây dựng");
  await page.locator("#pos-quota").fill("1");
  await page.getByRole("button", { name: "Thêm vị trí" }).click();
  await expect(page.getByTestId("error-summary")).toContainText("cần ghi lý do thay đổi");
  await expect(page.locator("#pos-code")).toHaveValue("XD-01");
  await expect(page.getByTestId("positions-table").locator('tr[data-code="XD-01"]')).toHaveCount(0);
  await expect(page.getByTestId("audit-log")).toContainText("Chuyển trạng thái: Bản nháp → Đang nhận hồ sơ");
  await expect(page.getByTestId("audit-log")).toContainText("Thêm vị trí — TC-01");
  await expectAccessible(page, "open round change refused");

  // An anonymous visitor, with no session at all.
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto("/rounds");
  const card = visitor.getByTestId("open-rounds").locator(".round-card", { hasText: name });
  await expect(card).toBeVisible();
  await expect(card).toContainText("Số vị trí2");
  await expect(card).toContainText("Tổng chỉ tiêu5");
  await hydrated(visitor);
  await expectAccessible(visitor, "public rounds");
  await card.getByRole("link", { name: "Xem thông báo tuyển dụng" }).click();
  await expect(visitor.getByRole("heading", { level: 1 })).toHaveText(name);
  const table = visitor.getByTestId("positions-table");
  await expect(table.locator('tr[data-code="TC-01"] [data-testid="quota"]')).toHaveText("3");
  await expect(table.locator('tr[data-code="NV-01"] [data-testid="quota"]')).toHaveText("2");
  // The notice states each position's method and the tests the law derives from its rank.
  const tests = table.locator('tr[data-code="TC-01"] [data-testid="tests"]');
  await expect(tests).toContainText("Thi tuyển · Chuyên viên");
  await expect(tests).toContainText("Vòng 1: thi trắc nghiệm trên máy tính");
  await expect(tests).toContainText("Thi viết");
  await expect(tests).not.toContainText("dân tộc thiểu số");
  await expect(table.locator('tr[data-code="NV-01"] [data-testid="tests"]')).toContainText("Chỉ tuyển người dân tộc thiểu số");
  await expect(visitor.getByTestId("deadline")).toContainText("Còn");
  await expect(visitor.getByText("Nghị định số 170/2025/NĐ-CP", { exact: false })).toBeVisible();
  await hydrated(visitor);
  await expectAccessible(visitor, "round notice");
});

test("a position file is checked whole: a broken one imports nothing, a good one everything", async ({ page }) => {
  await signIn(page, DEMO.hr, DEMO_PASSWORD);
  await expect(page.getByTestId("signed-in-name")).toHaveText("Phạm Thị Dung");
  await createRound(page, `Kỳ tuyển dụng nhập tệp ${Date.now()}`);

  const header = "code,title,unit_code,unit_name,quota,min_degree,majors,other_conditions,stage2_format,written_weight,max_score,rank,method";
  const broken = `${header}\nKT-01,Kế toán viên,STC,Sở Tài chính,2,Đại học,Kế toán,,Thi viết,,100,chuyen_vien,exam\nKT-02,Kế toán viên,SNV,Sở Nội vụ,hai,Đại học,Kế toán,,Thi viết,,100,chuyen_vien,exam\nBV-01,Nhân viên bảo vệ,SNV,Sở Nội vụ,1,Cao đẳng,,,Thi viết,,100,Nhân viên,Thi tuyển\n`;
  await page.locator("#import-file").setInputFiles({ name: "vi-tri.csv", mimeType: "text/csv", buffer: Buffer.from(broken) });
  await page.getByRole("button", { name: "Kiểm tra và nhập" }).click();
  const summary = page.getByTestId("error-summary");
  await expect(summary).toContainText("Chưa nhập gì vì tệp có lỗi");
  await expect(summary).toContainText("Dòng 3, cột quota: Chỉ tiêu phải là số nguyên từ 1 đến 10.000");
  // A plan the law does not allow is refused with the article (Decree 170/2025 Art 9).
  await expect(summary).toContainText("Dòng 4, cột stage2_format: Ngạch nhân viên thi một bài chuyên môn bằng vấn đáp hoặc thực hành");
  await expect(page.getByTestId("positions-table").locator("tbody tr")).toHaveCount(0);
  await expectAccessible(page, "position file refused");

  const good = `${header}\nKT-01,Kế toán viên,STC,Sở Tài chính,2,Đại học,Kế toán,,Thi viết,,100,chuyen_vien,exam\nXA-01,Công chức Văn phòng - Thống kê,X-DC,UBND xã Diễn Châu,1,bachelor,Luật,,vấn đáp,,100,nhan_vien,exam\nXA-01,Công chức Văn phòng - Thống kê,X-QL,UBND xã Quỳnh Lưu,3,bachelor,Luật,,vấn đáp,,100,nhan_vien,exam\n`;
  await page.locator("#import-file").setInputFiles({ name: "vi-tri.csv", mimeType: "text/csv", buffer: Buffer.from(good) });
  await page.getByRole("button", { name: "Kiểm tra và nhập" }).click();
  await expect(page.getByTestId("import-done")).toContainText("Đã nhập vị trí: 2");
  await expect(page.getByTestId("error-summary")).toHaveCount(0);
  await expect(page.getByTestId("positions-table").locator('tr[data-code="XA-01"] [data-testid="quota"]')).toHaveText("4");
  await expectAccessible(page, "position file imported");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Tải danh sách (Excel)" }).click();
  expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);
});

test("an HR officer saves a changed rule set as a new version", async ({ page }) => {
  await signIn(page, DEMO.hr, DEMO_PASSWORD);
  await expect(page.getByTestId("signed-in-name")).toHaveText("Phạm Thị Dung");
  await page.goto("/hr/rule-sets");
  await hydrated(page);
  await expectAccessible(page, "rule sets");
  await page.getByTestId("rule-sets").getByRole("link", { name: "Nghị định 170/2025/NĐ-CP" }).first().click();
  await expect(page.getByTestId("rule-set-title")).toContainText("(v1)");
  await hydrated(page);
  await expectAccessible(page, "rule set");
  await page.getByLabel("Vòng 2: điểm đạt (trên 100)").fill("55");
  await page.getByLabel("Lý do").fill("Áp dụng thử nghiệm");
  await page.getByRole("button", { name: "Lưu thành phiên bản mới" }).click();
  await expect(page.getByTestId("rule-set-title")).toContainText("(v2)");
  await expect(page.getByText("người trúng tuyển phải đạt từ 55 điểm trở lên", { exact: false })).toBeVisible();
  await expectAccessible(page, "rule set saved");
});

test("an applicant cannot open HR pages", async ({ page }) => {
  await signIn(page, DEMO.applicant, DEMO_PASSWORD);
  await expect(page.getByTestId("signed-in-name")).toHaveText("Nguyễn Văn An");
  const response = await page.goto("/hr/rounds");
  expect(response?.status()).toBe(403);
  const create = await page.request.post("/api/hr/create_round", {
    headers: FROM_THE_SITE,
    form: { name: "x", authority: "y", notice: "z", opens_at: "2030-01-01T08:00", closes_at: "2030-03-01T08:00", rule_set_id: "x" },
  });
  expect(create.status()).toBe(403);
  expect(await create.json()).toBe("Forbidden");
});
