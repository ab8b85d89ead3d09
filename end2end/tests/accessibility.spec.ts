import { test, expect, Locator, Page } from "@playwright/test";
import { confirmRegistration, expectAccessible, hydrated, uniqueEmail } from "./helpers";

// Keyboard alone: Tab and Shift+Tab to move, typing, Space and Enter, arrow keys in lists.
// No click, no fill: each field is reached the way a keyboard user reaches it, and each stop
// must show where the focus is.

/** Presses Tab (Shift+Tab with `back`) until `target` has the focus, then checks it shows. */
async function tabTo(page: Page, target: Locator, { back = false } = {}): Promise<void> {
  for (let presses = 0; presses < 80; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) {
      await expectVisibleFocus(target);
      return;
    }
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  throw new Error(`80 presses of ${back ? "Shift+Tab" : "Tab"} never reached ${target}`);
}

/** The focused element is on screen and outlined (the stylesheet's `:focus-visible`). */
async function expectVisibleFocus(target: Locator): Promise<void> {
  await expect(target).toBeFocused();
  await expect(target).toBeInViewport();
  const outline = await target.evaluate((element) => {
    const style = getComputedStyle(element);
    return { visible: element.matches(":focus-visible"), style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
  expect(outline.visible, "the focus is shown as keyboard focus").toBe(true);
  expect(outline.style).not.toBe("none");
  expect(outline.width).toBeGreaterThanOrEqual(2);
}

/** Tabs to the field, then types into it. */
async function typeInto(page: Page, field: Locator, text: string): Promise<void> {
  await tabTo(page, field);
  await page.keyboard.type(text);
  await expect(field).toHaveValue(text);
}

/** Tabs to a closed list and moves through it with the arrow keys to the option wanted. */
async function choose(page: Page, select: Locator, value: string): Promise<void> {
  await tabTo(page, select);
  const values = await select.locator("option").evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
  const from = values.indexOf(await select.inputValue());
  const to = values.indexOf(value);
  expect(to, `option ${value}`).toBeGreaterThanOrEqual(0);
  for (let step = from; step !== to; step += Math.sign(to - from)) {
    await page.keyboard.press(to > from ? "ArrowDown" : "ArrowUp");
  }
  await expect(select).toHaveValue(value);
}

test("an applicant registers, mends a mistake and signs in with the keyboard alone", async ({ page }) => {
  const email = uniqueEmail("ban.phim");
  const password = "gõ bằng bàn phím 2026";
  await page.goto("/");
  await hydrated(page);

  // The first Tab shows the skip link; it takes the focus past the header.
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Chuyển đến nội dung chính" });
  await expectVisibleFocus(skip);
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();
  await tabTo(page, page.getByRole("main").getByRole("link", { name: "Đăng ký tài khoản" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/register$/);
  await hydrated(page);

  // Each field in turn; the two passwords differ.
  await typeInto(page, page.getByLabel("Họ và tên"), "Vũ Thị Bàn Phím");
  await typeInto(page, page.getByLabel("Email"), email);
  await typeInto(page, page.getByLabel("Mật khẩu", { exact: true }), password);
  await typeInto(page, page.getByLabel("Nhập lại mật khẩu"), "một mật khẩu khác hẳn");
  await page.keyboard.press("Enter");

  // The error summary takes the focus; its link leads back to the field to mend.
  const summary = page.getByTestId("error-summary");
  await expect(summary).toContainText("Hai mật khẩu không khớp nhau");
  await expect(summary).toBeFocused();
  await expectAccessible(page, "registration errors");
  await page.keyboard.press("Tab");
  await expectVisibleFocus(summary.getByRole("link", { name: "Hai mật khẩu không khớp nhau" }));
  await page.keyboard.press("Enter");
  const confirm = page.getByLabel("Nhập lại mật khẩu");
  await expect(confirm).toBeFocused();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.type(password);
  // Back up to the first password to see it is still there, then submit from the button.
  await tabTo(page, page.getByLabel("Mật khẩu", { exact: true }), { back: true });
  await expect(page.getByLabel("Mật khẩu", { exact: true })).toHaveValue(password);
  await tabTo(page, page.getByRole("button", { name: "Tạo tài khoản" }));
  await page.keyboard.press("Enter");
  await hydrated(page);
  await confirmRegistration(page, email, true);
  await expect(page.getByTestId("signed-in-name")).toHaveText("Vũ Thị Bàn Phím");

  // Sign out with Space on the button, and back in through the header's link.
  await hydrated(page);
  await tabTo(page, page.getByRole("button", { name: "Đăng xuất" }));
  await page.keyboard.press("Space");
  const signInLink = page.getByRole("banner").getByRole("link", { name: "Đăng nhập" });
  await expect(signInLink).toBeVisible();
  await tabTo(page, signInLink, { back: true });
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/login$/);
  await hydrated(page);
  await typeInto(page, page.getByLabel("Email"), email);
  await typeInto(page, page.getByLabel("Mật khẩu"), password);
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("signed-in-name")).toHaveText("Vũ Thị Bàn Phím");
});

test("an applicant fills the profile and applies with the keyboard alone", async ({ page }) => {
  test.setTimeout(120_000);
  const password = "gõ bằng bàn phím 2026";
  await page.goto("/register");
  await hydrated(page);
  await typeInto(page, page.getByLabel("Họ và tên"), "Đinh Thị Tab");
  const email = uniqueEmail("tab.enter");
  await typeInto(page, page.getByLabel("Email"), email);
  await typeInto(page, page.getByLabel("Mật khẩu", { exact: true }), password);
  await typeInto(page, page.getByLabel("Nhập lại mật khẩu"), password);
  await page.keyboard.press("Enter");
  await hydrated(page);
  await confirmRegistration(page, email, true);
  await expect(page.getByTestId("signed-in-name")).toHaveText("Đinh Thị Tab");

  // The profile, field after field in the order Tab takes; lists with the arrow keys.
  await page.goto("/applications/profile");
  await hydrated(page);
  const field = (id: string) => page.locator(`#${id}`);
  await typeInto(page, field("dob_day"), "12");
  await typeInto(page, field("dob_month"), "07");
  await typeInto(page, field("dob_year"), "1998");
  await choose(page, field("sex"), "female");
  await typeInto(page, field("national_id"), `040198${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`);
  for (const [id, value] of [
    ["id_issue_day", "10"], ["id_issue_month", "03"], ["id_issue_year", "2021"],
    ["id_issue_place", "Cục Cảnh sát QLHC về TTXH"], ["ethnicity", "Kinh"], ["religion", "Không"],
    ["phone", "0912 000 111"], ["hometown", "Hưng Nguyên, Nghệ An"],
    ["permanent_address", "Số 5 Trường Thi, Vinh"], ["current_address", "Số 5 Trường Thi, Vinh"],
    ["health", "Tốt"], ["general_education", "12/12"],
  ]) {
    await typeInto(page, field(id), value);
  }
  await choose(page, field("degree_0_level"), "bachelor");
  await typeInto(page, field("degree_0_major"), "Quản lý nhà nước");
  await typeInto(page, field("degree_0_institution"), "Học viện Hành chính Quốc gia");
  await typeInto(page, field("degree_0_graduated"), "06/2020");
  await typeInto(page, field("degree_0_serial"), "HV-2020-0777");
  await choose(page, field("degree_0_mode"), "full_time");
  await choose(page, field("degree_0_classification"), "good");
  await expect(page.getByTestId("autosave-status")).toContainText("Đã lưu lúc", { timeout: 20_000 });
  await tabTo(page, page.getByRole("link", { name: "Kiểm tra thông tin đã khai" }));
  await page.keyboard.press("Enter");
  await expect(page.locator(".task-list .tag-done")).toHaveCount(4);

  // To the round, and a position in one unit.
  await hydrated(page);
  await tabTo(page, page.getByRole("main").getByRole("link", { name: "Hồ sơ dự tuyển của tôi" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/applications$/);
  await hydrated(page);
  await tabTo(page, page.locator("li", { hasText: "tỉnh Nghệ An năm 2026" }).getByRole("link", { name: "Nộp hồ sơ" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/applications\/rounds\/[0-9a-f-]{36}$/);
  await hydrated(page);
  const position = page.locator("#position-select");
  await choose(page, position, (await position.locator("option[data-units='1']").first().getAttribute("value"))!);
  await tabTo(page, page.getByRole("button", { name: "Lưu lựa chọn" }));
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("choice-status")).toContainText("Đã lưu");

  // A scan: Space on the file box opens the file chooser.
  await tabTo(page, page.getByLabel("Chọn tệp"));
  const chooser = page.waitForEvent("filechooser");
  await page.keyboard.press("Space");
  await (await chooser).setFiles({ name: "bang-tot-nghiep.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.7\n% bằng\n") });
  await tabTo(page, page.getByRole("button", { name: "Tải lên" }));
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("documents")).toContainText("bang-tot-nghiep.pdf");
  await hydrated(page);

  // Submitting without the declaration: the summary's link leads to the box, Space ticks it.
  await tabTo(page, page.getByRole("button", { name: "Nộp hồ sơ" }));
  await page.keyboard.press("Enter");
  const summary = page.getByTestId("error-summary");
  await expect(summary).toContainText("Xác nhận lời cam đoan");
  await expect(summary).toBeFocused();
  await page.keyboard.press("Tab");
  await expectVisibleFocus(summary.getByRole("link", { name: /Xác nhận lời cam đoan/ }));
  await page.keyboard.press("Enter");
  const declaration = page.getByLabel(/Tôi xin cam đoan/);
  await expectVisibleFocus(declaration);
  await page.keyboard.press("Space");
  await expect(declaration).toBeChecked();
  await tabTo(page, page.getByRole("button", { name: "Nộp hồ sơ" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/applications\/[0-9a-f-]{36}\/receipt$/);
  await expect(page.getByTestId("receipt")).toContainText("Đinh Thị Tab");
});
