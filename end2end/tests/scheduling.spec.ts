import { test, expect, Page } from "@playwright/test";
import { DEMO, DEMO_PASSWORD, expectAccessible, hydrated, signIn } from "./helpers";

/** A datetime-local value `days` from now, in Vietnam time. */
function vietnamTime(days: number, hour: number): string {
  const at = new Date(Date.now() + days * 86_400_000 + 7 * 3_600_000);
  return `${at.toISOString().slice(0, 10)}T${String(hour).padStart(2, "0")}:00`;
}

async function openSchedule(page: Page): Promise<void> {
  await page.goto("/hr/rounds");
  await hydrated(page);
  await page.getByRole("link", { name: "Kỳ thi tuyển công chức tỉnh Nghệ An năm 2026" }).click();
  await hydrated(page);
  await expect(page.getByTestId("schedule-link")).toBeVisible();
  await expectAccessible(page, "open round");
  await page.getByTestId("schedule-link").click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Lịch thi");
  await hydrated(page);
  await expectAccessible(page, "schedule");
}

test("HR schedules stage 1 and a candidate prints the admission ticket and confirms", async ({ page, browser }) => {
  await signIn(page, DEMO.hr, DEMO_PASSWORD);
  await expect(page.getByTestId("signed-in-name")).toHaveText("Phạm Thị Dung");
  await openSchedule(page);

  // A venue with a computer room.
  const venue = `Trường Đại học Vinh ${Date.now()}`;
  await page.locator("#venue-name").fill(venue);
  await page.locator("#venue-address").fill("182 Lê Duẩn, phường Trường Vinh, Nghệ An");
  await page.locator("#venue-map_note").fill("Vào cổng số 2, nhà A5");
  await page.getByRole("button", { name: "Thêm điểm thi" }).click();
  await expect(page.getByRole("heading", { name: venue })).toBeVisible();
  await page.locator("#room-venue_id").selectOption({ label: venue });
  await page.locator("#room-name").fill("Phòng máy A5.101");
  await page.locator("#room-capacity").fill("40");
  await page.getByLabel("Phòng máy tính", { exact: true }).check();
  await page.getByRole("button", { name: "Thêm phòng thi" }).click();
  await expect(page.getByTestId("venue").filter({ hasText: venue })).toContainText("Phòng máy A5.101");

  // One computer session for every position.
  await page.locator("#session-name").fill("Ca 1 – sáng");
  await page.locator("#session-venue_id").selectOption({ label: venue });
  await page.locator("#session-starts_at").fill(vietnamTime(20, 7));
  await page.locator("#session-duration_minutes").fill("60");
  for (const box of await page.locator('#session-positions input[type="checkbox"]').all()) {
    await box.check();
  }
  await page.getByRole("button", { name: "Thêm ca thi" }).click();
  await expect(page.getByTestId("sessions")).toContainText("Ca 1 – sáng");

  // Preview, then seat and save.
  await page.getByRole("button", { name: "Xem trước" }).click();
  await expect(page.getByTestId("allocation-report")).toContainText("chưa lưu");
  await page.getByRole("button", { name: "Xếp chỗ và lưu" }).click();
  await expect(page.getByTestId("allocation-report")).toContainText("Đã xếp chỗ và lưu");
  await expect(page.getByTestId("room-fill")).toContainText("Phòng máy A5.101");

  // Two invigilators for the room.
  const row = page.getByTestId("exam-rooms").locator("tr", { hasText: "Phòng máy A5.101" });
  for (const [invigilator, email] of [["Trần Thị Bình", DEMO.marker], ["Lê Văn Cường", DEMO.chair]]) {
    await row.locator("select").selectOption({ label: `${invigilator} (${email})` });
    await row.getByRole("button", { name: "Phân công" }).click();
    await expect(row).toContainText(invigilator);
  }
  await expect(row).not.toContainText("Cần ít nhất 2 cán bộ coi thi");
  await expectAccessible(page, "schedule with seats and invigilators");

  // The room's roster, ready to print.
  await page.getByTestId("room-fill").getByRole("link", { name: "Danh sách phòng thi" }).first().click();
  await expect(page.getByTestId("roster")).toContainText("Trần Thị Lan");
  await hydrated(page);
  await expectAccessible(page, "room roster");
  await page.goBack();
  await hydrated(page);

  await page.locator("#publish-confirmation_deadline").fill(vietnamTime(10, 17));
  await page.getByRole("button", { name: "Công bố và thông báo cho thí sinh" }).click();
  await expect(page.getByTestId("published")).toContainText("thông báo cho");
  await expectAccessible(page, "schedule published");

  // The demo candidate who has paid the fee finds the ticket on their home page.
  const context = await browser.newContext();
  const candidate = await context.newPage();
  await signIn(candidate, "ungvien01@demo.example", DEMO_PASSWORD);
  await expect(candidate.getByTestId("signed-in-name")).toHaveText("Trần Thị Lan");
  await candidate.goto("/applications");
  await hydrated(candidate);
  await expect(candidate.getByTestId("notifications")).toContainText("Đã có lịch thi");
  await candidate.getByTestId("ticket-link").click();
  await expect(candidate.getByTestId("candidate-number")).toHaveText(/^TS-\d{5}$/);
  await expect(candidate.getByTestId("ticket")).toContainText(venue);
  await expect(candidate.getByTestId("ticket-room")).toHaveText("Phòng máy A5.101");
  await expect(candidate.locator(".qr svg")).toBeVisible();
  await hydrated(candidate);
  await expectAccessible(candidate, "admission ticket");
  await candidate.getByRole("button", { name: "Tôi sẽ dự thi" }).click();
  await expect(candidate.getByTestId("attendance-answer")).toContainText("Đã xác nhận tham dự");
  await expectAccessible(candidate, "attendance confirmed");
  await context.close();

  // On the day the invigilator marks the candidate present from the room's sheet.
  const phone = await browser.newContext({ viewport: { width: 390, height: 800 } });
  const invigilator = await phone.newPage();
  await signIn(invigilator, DEMO.marker, DEMO_PASSWORD);
  await expect(invigilator.getByTestId("signed-in-name")).toHaveText("Trần Thị Bình");
  await invigilator.goto("/invigilation");
  await hydrated(invigilator);
  await expectAccessible(invigilator, "invigilator's rooms on a phone");
  await invigilator.getByTestId("my-rooms").getByRole("link", { name: "Phòng máy A5.101" }).first().click();
  await hydrated(invigilator);
  const line = invigilator.getByTestId("attendance").locator("li", { hasText: "Trần Thị Lan" });
  await line.getByRole("button", { name: "Có mặt" }).click();
  await expect(line.locator(".current-status")).toContainText("Có mặt");
  await expectAccessible(invigilator, "attendance sheet on a phone");
  await phone.close();

  // HR sees the answer counted.
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("publication")).toContainText("Xác nhận dự thi: 1");
});
