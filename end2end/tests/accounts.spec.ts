import { test, expect } from "@playwright/test";
import { DEMO, DEMO_PASSWORD, FROM_THE_SITE, confirmRegistration, expectAccessible, hydrated, signIn, signOut, uniqueEmail } from "./helpers";

test("an applicant registers, signs out and signs back in", async ({ page }) => {
  const email = uniqueEmail("ung.vien");
  const password = "mật khẩu đủ dài 2026";

  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tuyển dụng công chức tỉnh");
  await hydrated(page);
  await expectAccessible(page, "home page");
  await page.getByRole("link", { name: "Đăng ký tài khoản" }).first().click();
  await expect(page).toHaveURL(/\/register$/);
  await expectAccessible(page, "registration form");

  await page.getByLabel("Họ và tên").fill("Nguyễn Thị Hồng Nhung");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Mật khẩu", { exact: true }).fill(password);
  await page.getByLabel("Nhập lại mật khẩu").fill(password);
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();

  // Nothing is created until the code e-mailed to the address is typed in.
  await expect(page.getByTestId("confirm-intro")).toBeVisible();
  await expectAccessible(page, "registration code form");
  await page.getByLabel("Mã xác nhận").fill("0000-0000");
  await page.getByRole("button", { name: "Xác nhận và đăng nhập" }).click();
  await expect(page.getByTestId("error-summary")).toContainText("Mã xác nhận không đúng");
  await confirmRegistration(page, email);
  await expect(page.getByTestId("account-email")).toHaveText(email);
  await expect(page.getByTestId("account-name")).toHaveText("Nguyễn Thị Hồng Nhung");
  await expect(page.getByTestId("signed-in-name")).toHaveText("Nguyễn Thị Hồng Nhung");
  await expect(page.getByRole("link", { name: "Hồ sơ dự tuyển của tôi" })).toBeVisible();
  await expectAccessible(page, "account page");

  await signOut(page);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=/);
  await hydrated(page);
  await expectAccessible(page, "sign-in form");

  await signIn(page, email.toUpperCase(), password);
  await expect(page.getByTestId("signed-in-name")).toHaveText("Nguyễn Thị Hồng Nhung");
});

test("registration explains every problem and keeps nothing", async ({ page }) => {
  await page.goto("/register");
  await hydrated(page);
  await page.getByLabel("Email").fill("khong-phai-email");
  await page.getByLabel("Mật khẩu", { exact: true }).fill("ngan");
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();

  const summary = page.getByTestId("error-summary");
  await expect(summary).toContainText("Có lỗi cần sửa");
  await expect(summary.getByRole("link", { name: "Nhập họ và tên" })).toHaveAttribute("href", "#full_name");
  await expect(summary).toContainText("Email chưa đúng định dạng");
  await expect(summary).toContainText("Mật khẩu phải có ít nhất 12 ký tự");
  await expect(page.locator("#email")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/register/);
  await expectAccessible(page, "registration errors");
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  await signIn(page, DEMO.marker, "this is not the password");
  await expect(page.getByTestId("error-summary")).toContainText("Email hoặc mật khẩu không đúng");
  await expect(page.getByRole("banner").getByRole("link", { name: "Đăng nhập" })).toBeVisible();
  await expect(page.getByTestId("signed-in-name")).toHaveCount(0);
  await expectAccessible(page, "sign-in error");
});

test("an applicant can neither open a staff page nor call a staff server function", async ({ page }) => {
  await signIn(page, DEMO.applicant, DEMO_PASSWORD);
  await expect(page.getByTestId("signed-in-name")).toHaveText("Nguyễn Văn An");
  await expect(page.getByRole("link", { name: "Quản lý tài khoản" })).toHaveCount(0);

  const response = await page.goto("/admin/users");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Bạn không có quyền truy cập trang này");
  await expect(page.getByTestId("users-table")).toHaveCount(0);
  await expectAccessible(page, "forbidden page");

  const list = await page.request.post("/api/admin/list_users", { headers: FROM_THE_SITE });
  expect(list.status()).toBe(403);
  expect(await list.json()).toBe("Forbidden");

  const create = await page.request.post("/api/admin/create_staff_account", {
    headers: FROM_THE_SITE,
    form: { email: uniqueEmail("lenh.trai.phep"), full_name: "Kẻ Giả Mạo", administrator: "on" },
  });
  expect(create.status()).toBe(403);
});

test("an anonymous caller is refused with 401 and no internal detail", async ({ request }) => {
  const response = await request.post("/api/admin/list_users", { headers: FROM_THE_SITE });
  expect(response.status()).toBe(401);
  const body = await response.text();
  expect(body).toBe('"Unauthenticated"');
  // A write that does not say where it comes from is refused before anything runs.
  const anywhere = await request.post("/api/admin/list_users");
  expect(anywhere.status()).toBe(403);
});

test("a cross-origin form post is refused", async ({ request }) => {
  const response = await request.post("/api/login", {
    headers: { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
    form: { email: DEMO.admin, password: DEMO_PASSWORD },
  });
  expect(response.status()).toBe(403);
  expect(response.headers()["set-cookie"] ?? "").not.toContain("portal_session");
});

test("the language switch shows the portal in English and back", async ({ page }) => {
  await page.goto("/login");
  await hydrated(page);
  await expect(page.locator("html")).toHaveAttribute("lang", "vi");
  await page.getByRole("link", { name: "Switch to English" }).click();

  await expect(page).toHaveURL(/\/login$/);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
  await expect(page.getByText("Civil Service Recruitment Portal")).toBeVisible();
  await expectAccessible(page, "sign-in form in English");

  // The choice is remembered, and error messages follow it.
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Email").fill(DEMO.hr);
  await page.getByLabel("Password").fill("wrong password entirely");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("error-summary")).toContainText("The email or password is incorrect");
  await expectAccessible(page, "sign-in error in English");

  await page.getByRole("link", { name: "Chuyển sang tiếng Việt" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "vi");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đăng nhập");
});

test("an administrator creates a staff account that can then sign in", async ({ page }) => {
  // Sent to sign in first, then brought back to the page asked for.
  await page.goto("/admin/users");
  await expect(page).toHaveURL(/\/login\?next=%2Fadmin%2Fusers/);
  await hydrated(page);
  await page.getByLabel("Email").fill(DEMO.admin);
  await page.getByLabel("Mật khẩu").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page).toHaveURL(/\/admin\/users$/);
  await expect(page.getByTestId("users-table")).toContainText(DEMO.hr);
  await expectAccessible(page, "staff accounts");

  // Nothing ticked: refused, and no account is made.
  await hydrated(page);
  const email = uniqueEmail("can.bo");
  await page.getByLabel("Họ và tên").fill("Đỗ Minh Khoa");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();
  await expect(page.getByTestId("error-summary")).toContainText("Chọn ít nhất một vai trò");
  await expect(page.getByTestId("users-table")).not.toContainText(email);
  await expectAccessible(page, "staff account errors");

  await page.getByLabel("Cán bộ tổ chức, nhân sự").check();
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();
  await expect(page.getByTestId("staff-created")).toContainText(email);
  const initialPassword = (await page.getByTestId("initial-password").textContent())!.trim();
  await expect(page.getByTestId("users-table")).toContainText(email);
  await expectAccessible(page, "staff account created");

  await signOut(page);
  await signIn(page, email, initialPassword);
  await expect(page.getByTestId("signed-in-name")).toHaveText("Đỗ Minh Khoa");
  await expect(page.getByRole("link", { name: "Quản lý kỳ tuyển dụng" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Quản lý tài khoản" })).toHaveCount(0);

  // The new officer replaces the password they were handed.
  await page.goto("/account");
  await hydrated(page);
  await page.getByLabel("Mật khẩu hiện tại").fill(initialPassword);
  await page.getByLabel("Mật khẩu mới").fill("mật khẩu riêng của tôi");
  await page.getByLabel("Nhập lại mật khẩu").fill("mật khẩu riêng của tôi");
  await page.getByRole("button", { name: "Đổi mật khẩu" }).click();
  await expect(page.getByTestId("password-changed")).toBeVisible();
  await expectAccessible(page, "password changed");
  await signOut(page);
  await signIn(page, email, initialPassword);
  await expect(page.getByTestId("error-summary")).toContainText("Email hoặc mật khẩu không đúng");
  await signIn(page, email, "mật khẩu riêng của tôi");
  await expect(page.getByTestId("signed-in-name")).toHaveText("Đỗ Minh Khoa");
});

test("an administrator keeps the holiday calendar that deadlines count with", async ({ page }) => {
  await signIn(page, DEMO.admin, DEMO_PASSWORD);
  await page.getByRole("link", { name: "Lịch ngày nghỉ lễ" }).first().click();
  await expect(page).toHaveURL(/\/admin\/calendar$/);
  const table = page.getByTestId("calendar-table");
  // Seeded with the official days off: Tết Bính Ngọ, Monday 16 February 2026.
  await expect(table.locator('tr[data-day="2026-02-16"]')).toContainText("Tết Nguyên đán Bính Ngọ");
  await expect(table.locator('tr[data-day="2025-04-26"]')).toContainText("Ngày làm bù");
  await expectAccessible(page, "holiday calendar");
  await hydrated(page);

  // A Sunday is not a working day already: refused, nothing recorded.
  await page.getByLabel("Ngày", { exact: true }).fill("28/11/2027");
  await page.getByLabel("Tên ngày").fill("Ngày Văn hóa Việt Nam");
  await page.getByRole("button", { name: "Ghi ngày" }).click();
  await expect(page.getByTestId("error-summary")).toContainText("thứ Bảy hoặc Chủ nhật");
  await expect(table.locator('tr[data-day="2027-11-28"]')).toHaveCount(0);
  await expectAccessible(page, "holiday calendar error");

  // The day the government adds, on a Wednesday.
  await page.getByLabel("Ngày", { exact: true }).fill("24/11/2027");
  await page.getByRole("button", { name: "Ghi ngày" }).click();
  await expect(page.getByTestId("calendar-saved")).toBeVisible();
  const added = table.locator('tr[data-day="2027-11-24"]');
  await expect(added).toContainText("Thứ Tư");
  await expect(added).toContainText("Ngày Văn hóa Việt Nam");

  // And removed again (the page keeps the list of what is recorded, nothing else).
  await added.getByRole("button", { name: "Xóa 24/11/2027" }).click();
  await expect(added).toHaveCount(0);
  await expect(table.locator('tr[data-day="2026-02-16"]')).toBeVisible();
});
