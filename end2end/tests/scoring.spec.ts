import { test, expect, Browser, Page } from "@playwright/test";
import { DEMO, DEMO_PASSWORD, expectAccessible, hydrated, signIn } from "./helpers";

// Each journey starts from a demo round of its own (server/src/demo_stage2.rs), so that any
// one of them runs alone and in any order. In each, the written-only position (…-VT) is marked
// by chamthi and chamthi2; the combined one (…-KH) has a written paper (same two markers) and
// an interview panel (chamthi2 and chamthi3). Clerks: nhansu and chamthi3. The chair:
// truongban.
/** In marking, no mark entered yet; under the amended decree, so Circular 22's bands apply. */
const ROUND = "Kỳ thi tuyển công chức Sở Giáo dục và Đào tạo tỉnh Nghệ An năm 2026";
/** Marked, locked and decoded: the written-only position's marks are 71, 55,5 and 76. */
const DECODED = "Kỳ thi tuyển công chức Sở Y tế tỉnh Nghệ An năm 2026";
/** Version 1 of the results published yesterday; the appeal window is open. */
const PUBLISHED = "Kỳ thi tuyển công chức Sở Tài chính tỉnh Nghệ An năm 2026";
/** Under the amended decree: exam scores published three weeks ago, one paid appeal waiting. */
const SEQUENCE = "Kỳ thi tuyển công chức Sở Nội vụ tỉnh Nghệ An năm 2026";
/** The appeal board of SEQUENCE, by the names the appeals page shows. */
const APPEAL_BOARD: Record<string, string> = {
  "Vũ Văn Hải": DEMO.marker3,
  "Lê Văn Cường": DEMO.chair,
  "Bùi Thị Khánh": DEMO.marker4,
};

async function as(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, email, DEMO_PASSWORD);
  await expect(page.getByTestId("signed-in-name")).toBeVisible();
  return page;
}

/** Signed in as the demo account among `emails` whose admission ticket shows `number`. */
async function accountWithNumber(browser: Browser, number: string, emails: string[]): Promise<Page> {
  for (const email of emails) {
    const page = await as(browser, email);
    await page.goto("/applications");
    await page.getByTestId("ticket-link").first().click();
    const shown = ((await page.getByTestId("candidate-number").textContent()) ?? "").trim();
    if (shown === number) return page;
    await page.context().close();
  }
  throw new Error(`no demo account among ${emails.join(", ")} has candidate number ${number}`);
}

/** A re-marker finds the appealed paper by its code alone on /marking and marks it. */
async function remarkPaper(browser: Browser, email: string, code: string, mark: string, hidden: string): Promise<void> {
  const remarker = await as(browser, email);
  await remarker.goto("/marking");
  await hydrated(remarker);
  const papers = remarker.getByTestId("appeal-papers");
  await expect(papers.locator(`tr[data-code="${code}"]`)).toBeVisible();
  await expect(papers).not.toContainText(hidden);
  await expectAccessible(remarker, "papers to re-mark");
  await papers.getByLabel(`Điểm ${code}`).fill(mark);
  await papers.getByLabel(`Điểm ${code}`).press("Enter");
  await expect(papers.getByLabel(`Điểm ${code}`)).toHaveValue(mark);
  await remarker.context().close();
}

/** Opens a sheet from /marking: the row of `position` and `part` in the table `table`. */
async function openSheet(page: Page, table: string, position: string, part: string, marker?: string): Promise<string[]> {
  await page.goto("/marking");
  await hydrated(page);
  let row = page.getByTestId(table).locator("tr", { hasText: position }).filter({ hasText: part });
  if (marker) row = row.filter({ hasText: marker });
  await row.getByRole("link", { name: "Nhập điểm" }).click();
  await expect(page.getByTestId("entry-form")).toBeVisible();
  await hydrated(page);
  return page.getByTestId("sheet-rows").locator("tbody tr").evaluateAll((rows) =>
    rows.map((r) => r.getAttribute("data-code") ?? ""),
  );
}

/** Keyboard only: code, Enter, mark, Enter — and the cursor is back in the code box. */
async function enterMarks(page: Page, marks: [string, string][]): Promise<void> {
  const code = page.locator("#entry-code-input");
  for (const [paper, mark] of marks) {
    await code.focus();
    await page.keyboard.type(paper.toLowerCase());
    await page.keyboard.press("Enter");
    await expect(page.locator("#entry-mark-input")).toBeFocused();
    await page.keyboard.type(mark);
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("entry-status")).toHaveText(`Đã lưu ${paper}: ${mark}`);
    await expect(code).toBeFocused();
    await expect(page.getByTestId("sheet-rows").locator(`tr[data-code="${paper}"]`)).toContainText(mark);
  }
}

test("two markers mark the same papers, a 20-point gap goes to a third marker, the chief decides, locks and decodes", async ({ browser }) => {
  test.setTimeout(240_000);

  // HR sees the board and where marking stands.
  const hr = await as(browser, DEMO.hr);
  await hr.goto("/hr/rounds");
  await hr.getByRole("link", { name: ROUND }).click();
  await hr.getByTestId("marking-link").click();
  await expect(hr.getByRole("heading", { level: 1 })).toHaveText("Ban chấm thi");
  await expect(hr.getByTestId("board-members")).toContainText("Đỗ Thị Giang");
  await expect(hr.getByTestId("marking-progress")).toContainText("GD-VT");
  await hydrated(hr);
  await expectAccessible(hr, "marking board");

  // Marker 1 enters the GD-VT papers by keyboard; the sheet shows codes, never names.
  const first = await as(browser, DEMO.marker);
  const vt = await openSheet(first, "my-sheets", "GD-VT", "Bài thi viết");
  expect(vt).toHaveLength(3);
  await expect(first.locator("main")).not.toContainText("Nguyễn Thị Hà");
  await expectAccessible(first, "marking sheet");
  // Checked as typed: a mark off the 0,25 step and a code not on the sheet.
  await first.locator("#entry-mark-input").fill("7,3");
  await expect(first.locator("#entry-mark-problem")).toHaveText("Điểm phải theo bước chấm (thường lẻ đến 0,25)");
  await first.locator("#entry-code-input").fill("ZZZZZZ");
  await expect(first.locator("#entry-code-problem")).toHaveText("Mã này không thuộc các bài được giao cho bạn");
  await expectAccessible(first, "marking sheet problems");
  await first.locator("#entry-code-input").fill("");
  await first.locator("#entry-mark-input").fill("");
  await enterMarks(first, [[vt[0], "70"], [vt[1], "55,5"], [vt[2], "80"]]);
  await expect(first.getByTestId("sheet-count")).toContainText("3 / 3");
  const kh = await openSheet(first, "my-sheets", "GD-KH", "Bài thi viết");
  await enterMarks(first, [[kh[0], "65"], [kh[1], "75"]]);

  // Marker 2 marks the same papers blind: their sheet shows none of marker 1's marks.
  const second = await as(browser, DEMO.marker2);
  const vt2 = await openSheet(second, "my-sheets", "GD-VT", "Bài thi viết");
  expect([...vt2].sort()).toEqual([...vt].sort());
  await expect(second.getByTestId("sheet-rows")).not.toContainText("55,5");
  await expect(second.getByTestId("sheet-count")).toContainText("0 / 3");
  // 70 and 72 are 2 apart: their mean; 55,5 twice agree; 80 and 60 are 20 apart: under
  // Circular 22/2025 Art 16 a third marker marks that paper.
  await enterMarks(second, [[vt[0], "72"], [vt[1], "55,5"], [vt[2], "60"]]);
  await openSheet(second, "my-sheets", "GD-KH", "Bài thi viết");
  await enterMarks(second, [[kh[0], "66"], [kh[1], "74,25"]]);

  // The interview panel: marker 3 imports a file. A bad file is refused whole, with rows.
  const third = await as(browser, DEMO.marker3);
  const panel = await openSheet(third, "my-sheets", "GD-KH", "Phỏng vấn");
  expect(panel).toHaveLength(2);
  // The sheet can be downloaded as a CSV to fill in.
  const template = decodeURIComponent((await third.getByTestId("sheet-csv").getAttribute("href")) ?? "");
  expect(template).toContain(`Số báo danh;Điểm`);
  expect(template).toContain(`${panel[0]};`);
  const upload = async (csv: string) => {
    await third.locator("#import-file-input").setInputFiles({ name: "phong-van.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await third.getByRole("button", { name: "Kiểm tra và nhập" }).click();
  };
  await upload(`Số báo danh;Điểm\n${panel[0]};70\n${panel[1]};68,3\n`);
  await expect(third.getByTestId("error-summary")).toContainText("Chưa nhập gì vì tệp có lỗi");
  await expect(third.getByTestId("error-summary")).toContainText("3");
  await expectAccessible(third, "mark file refused");
  await expect(third.getByTestId("sheet-count")).toContainText("0 / 2");
  await upload(`Số báo danh;Điểm\n${panel[0]};70\n${panel[1]};68,5\n`);
  await expect(third.getByTestId("marks-imported")).toHaveText("Đã lưu 2 điểm từ tệp.");
  await expect(third.getByTestId("sheet-count")).toContainText("2 / 2");

  // Marker 2's interview sheet came on paper: two clerks type it blind and disagree once.
  const clerk1 = hr;
  await openSheet(clerk1, "transcribe-sheets", "GD-KH", "Phỏng vấn", "Đỗ Thị Giang");
  await expect(clerk1.getByText("Nhập lại phiếu chấm giấy của Đỗ Thị Giang")).toBeVisible();
  await enterMarks(clerk1, [[panel[0], "80"], [panel[1], "68"]]);
  await openSheet(third, "transcribe-sheets", "GD-KH", "Phỏng vấn", "Đỗ Thị Giang");
  await expect(third.getByTestId("sheet-count")).toContainText("0 / 2");
  await enterMarks(third, [[panel[0], "80"], [panel[1], "69"]]);

  // The chair: the 80/60 paper and the 68/69 sheet mismatch are waiting; locking is not yet possible.
  const chair = await as(browser, DEMO.chair);
  await chair.goto("/board");
  await hydrated(chair);
  await expectAccessible(chair, "chair's rounds");
  await chair.getByTestId("chaired-rounds").getByRole("link", { name: ROUND }).click();
  await hydrated(chair);
  const disputed = chair.getByTestId("disputed").locator(`tr[data-code="${vt[2]}"]`);
  await expect(disputed).toContainText("80");
  await expect(disputed).toContainText("60");
  await expect(disputed.getByTestId("dispute-kind")).toHaveText("Chênh từ 10 điểm: cần người chấm thứ ba");
  await expect(chair.getByTestId("disputed").locator("tbody tr")).toHaveCount(1);
  const mismatch = chair.getByTestId("mismatches").locator(`tr[data-code="${panel[1]}"]`);
  await expect(mismatch).toContainText("68");
  await expect(mismatch).toContainText("69");
  await expect(chair.getByTestId("lock-blocked")).toBeVisible();
  await expect(chair.getByRole("button", { name: "Khóa điểm vòng 2" })).toBeDisabled();
  await expectAccessible(chair, "chair's round with disputes");

  // Not the chief's to decide yet: they hand it to a third written marker of the position.
  await expect(disputed.getByRole("button", { name: "Ghi quyết định" })).toHaveCount(0);
  await disputed.getByRole("button", { name: "Giao người chấm thứ ba" }).click();
  await expect(chair.getByTestId("third-assigned")).toContainText("Vũ Văn Hải");
  await expect(disputed.getByTestId("third-waiting")).toBeVisible();
  await expectAccessible(chair, "paper handed to a third marker");

  // The third marker finds the one paper on their written sheet, blind, and marks 75.
  const thirdSheet = await openSheet(third, "my-sheets", "GD-VT", "Bài thi viết");
  expect(thirdSheet).toEqual([vt[2]]);
  await expect(third.getByTestId("sheet-rows")).not.toContainText("80");
  await enterMarks(third, [[vt[2], "75"]]);

  // 80, 60 and 75 all differ: the chief holds collective marking and decides.
  await chair.reload();
  await hydrated(chair);
  await expect(disputed.getByTestId("third")).toHaveText("75");
  await expect(disputed.getByTestId("dispute-kind")).toHaveText("Hai lần chấm chênh lệch: trưởng ban trao đổi với giám khảo rồi quyết định");
  await disputed.getByLabel("Điểm", { exact: true }).fill("76");
  await disputed.getByLabel("Lý do").fill("Chấm tập thể: ý 3 đạt một phần");
  await disputed.getByRole("button", { name: "Ghi quyết định" }).click();
  await expect(chair.getByTestId("disputed").locator(`tr[data-code="${vt[2]}"]`).getByTestId("decision")).toContainText("76");

  const mismatchRow = chair.getByTestId("mismatches").locator(`tr[data-code="${panel[1]}"]`);
  await mismatchRow.getByLabel("Điểm", { exact: true }).fill("68");
  await mismatchRow.getByLabel("Lý do").fill("Phiếu giấy ghi 68");
  await mismatchRow.getByRole("button", { name: "Ghi điểm đúng theo phiếu" }).click();
  await expect(chair.getByText("Không có lần nhập nào lệch nhau.")).toBeVisible();

  // Every paper has its mark: lock, then decode.
  await expect(chair.getByTestId("lock-blocked")).toHaveCount(0);
  await chair.getByRole("button", { name: "Khóa điểm vòng 2" }).click();
  await expect(chair.getByTestId("stage-times")).toContainText("Khóa điểm");
  await chair.getByRole("button", { name: "Ghép phách" }).click();
  const decoded = chair.getByTestId("decoded");
  await expect(decoded.locator("tbody tr")).toHaveCount(5);
  await expect(decoded).toContainText("Nguyễn Thị Hà");
  // The disputed paper counts with the chair's mark.
  await expect(decoded.locator("tr", { hasText: vt[2] })).toContainText("76");
  await expectAccessible(chair, "marks locked and decoded");

  // The paper's history: both marks and the chair's decision with its reason.
  await chair.getByTestId("disputed").locator(`tr[data-code="${vt[2]}"]`).getByRole("link", { name: "Lịch sử" }).click();
  const audit = chair.getByTestId("paper-audit");
  await expect(audit).toContainText("Nhập điểm");
  await expect(audit).toContainText("Trưởng ban quyết định");
  await expect(audit).toContainText("Chấm tập thể: ý 3 đạt một phần");
  await expect(audit).toContainText("Giao người chấm thứ ba");
  await expectAccessible(chair, "paper history");

  // Any paper's history by its code: both markers' marks of an agreed paper.
  await chair.goBack();
  await chair.getByTestId("find-paper").getByLabel("Mã phách").fill(vt[0].toLowerCase());
  await chair.getByRole("button", { name: "Xem lịch sử" }).click();
  await expect(chair.getByTestId("current-marks")).toContainText("Trần Thị Bình: 70");
  await expect(chair.getByTestId("current-marks")).toContainText("Đỗ Thị Giang: 72");
  await expectAccessible(chair, "paper lookup");

  // After the lock nobody can change a mark.
  await first.goto(`/marking`);
  await first.getByTestId("my-sheets").locator("tr", { hasText: "GD-VT" }).getByRole("link", { name: "Nhập điểm" }).click();
  await expect(first.getByTestId("sheet-locked")).toBeVisible();
  await expect(first.getByTestId("entry-form")).toHaveCount(0);
  await expectAccessible(first, "locked sheet");
  // Under the amended decree (Decree 170/2025 Art 17) HR publishes each position's exam scores
  // before any result; every candidate is told, and a paper may be appealed for 5 working days.
  await hr.goto("/hr/rounds");
  await hr.getByRole("link", { name: ROUND }).click();
  await hr.getByTestId("results-link").click();
  await hydrated(hr);
  const resultsUrl = hr.url();
  const scores = hr.getByTestId("exam-scores");
  await expect(scores.getByTestId("compile-waits")).toContainText("Chưa công bố điểm thi");
  for (const code of ["GD-VT", "GD-KH"]) {
    const row = scores.locator(`tr[data-position="${code}"]`);
    await row.getByRole("button", { name: "Công bố điểm thi" }).click();
    await expect(row.getByTestId("scores-state")).toContainText("Đã công bố");
  }
  await expect(scores.locator('tr[data-position="GD-VT"]').getByTestId("appeals-until")).toContainText(/\d{2}\/\d{2}\/\d{4} 23:59/);
  await expect(scores.getByTestId("compile-waits")).toContainText("Còn trong thời hạn nhận đơn phúc khảo");
  await expectAccessible(hr, "exam scores published");
  await hr.getByRole("button", { name: "Tính kết quả (bản nháp)" }).click();
  await expect(hr.getByTestId("error-summary")).toContainText("Còn trong thời hạn nhận đơn phúc khảo");

  // Anyone reads the list by candidate number, without names and without JavaScript.
  const visitor = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await visitor.goto(resultsUrl.replace(/\/hr\/rounds\/([^/]+)\/results.*/, "/results/$1/scores/GD-VT"));
  await expect(visitor.getByTestId("score-list").locator("tbody tr")).toHaveCount(3);
  await expect(visitor.getByTestId("score-list")).toContainText("76");
  await expect(visitor.getByTestId("digest")).toHaveText(/^[0-9a-f]{64}$/);
  await expect(visitor.locator("main")).not.toContainText("Nguyễn Thị Hà");
  await expectAccessible(visitor, "public exam scores");

  // The candidate sees their marks on the timeline and appeals within the window.
  const candidate = await as(browser, "thisinh.gd01@demo.example");
  await candidate.goto("/applications");
  const timeline = candidate.getByTestId("timeline").first();
  await expect(timeline).toContainText("Đã công bố điểm thi");
  await expect(timeline).toContainText(/Bài viết: [\d,]+\/100; Hạn nhận đơn phúc khảo: \d{2}\/\d{2}\/\d{4} 23:59/);
  await expect(timeline).toContainText("Bài thi viết trên giấy có thể được phúc khảo trong thời hạn");
  await candidate.getByTestId("appeal-link").click();
  await expect(candidate.getByRole("heading", { level: 1 })).toHaveText("Phúc khảo bài thi");
  await hydrated(candidate);
  await candidate.getByLabel("Lý do (không bắt buộc)").fill("Em đề nghị chấm lại câu 1");
  await candidate.getByRole("button", { name: "Nộp đơn phúc khảo" }).click();
  await expect(candidate.getByTestId("appeal-status")).toHaveText("Chờ ghi nhận lệ phí");
  await expectAccessible(candidate, "appeal against the exam scores");
});

test("HR computes the results, the chair approves, HR publishes, and anyone verifies and looks up", async ({ browser }) => {
  test.setTimeout(180_000);
  // HR computes a draft from the decoded marks.
  const hr = await as(browser, DEMO.hr);
  await hr.goto("/hr/rounds");
  await hr.getByRole("link", { name: DECODED }).click();
  await hr.getByTestId("results-link").click();
  await hydrated(hr);
  await hr.getByRole("button", { name: "Tính kết quả (bản nháp)" }).click();
  await expect(hr.getByTestId("version-status")).toHaveText("Bản nháp");
  // Every position in brief; one opens for review at a time.
  await expect(hr.getByTestId("positions-overview").locator('tr[data-position="YT-VT"]')).toContainText("1");
  await hr.getByTestId("positions-overview").getByRole("link", { name: "YT-VT" }).click();
  const vt = hr.locator('section[data-position="YT-VT"]');
  await expect(vt.getByTestId("position-counts")).toContainText("Trúng tuyển: 1");
  // HR reviews every candidate by name; the best written mark, 76, wins.
  const winner = vt.getByTestId("result-candidates").locator("tbody tr").first();
  await expect(winner).toContainText("Trúng tuyển");
  await expect(winner).toContainText("76");
  const winnerName = "Ngô Thị Lan Anh";
  await expect(winner.locator("td").nth(2)).toHaveText(winnerName);
  await expect(vt.getByTestId("result-candidates")).toContainText("Đặng Thị Mai");
  const number = (await winner.getAttribute("data-number")) ?? "";
  const digest = (await hr.getByTestId("draft-digest").textContent()) ?? "";
  await expectAccessible(hr, "draft results");
  expect(digest).toMatch(/^[0-9a-f]{64}$/);

  // The chair approves exactly this draft.
  const chair = await as(browser, DEMO.chair);
  await chair.goto("/board");
  await chair.getByTestId("chaired-rounds").getByRole("link", { name: DECODED }).click();
  await chair.getByTestId("results-page-link").click();
  await hydrated(chair);
  await expect(chair.getByTestId("draft-digest")).toHaveText(digest);
  await expectAccessible(chair, "results to approve");
  await chair.getByRole("button", { name: "Phê duyệt kết quả" }).click();
  await expect(chair.getByTestId("version-status")).toHaveText("Đã phê duyệt");

  // HR publishes; the version becomes immutable and public.
  await hr.reload();
  await hydrated(hr);
  await expect(hr.getByText("Hạn công bố và thông báo")).toBeVisible();
  await hr.getByRole("button", { name: "Công bố kết quả" }).click();
  await expect(hr.getByTestId("published-versions")).toContainText(digest);
  await expectAccessible(hr, "results published");

  // Anyone: the public page, its digest, and the canonical file that hashes to it.
  const visitor = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await visitor.goto(hr.url().replace(/\/hr\/rounds\/([^/]+)\/results.*/, "/results/$1"));
  await expect(visitor.getByTestId("digest")).toHaveText(digest);
  // Every position with its winners; each position's full list on a page of its own.
  await expect(visitor.getByTestId("positions").locator('tr[data-position="YT-VT"]')).toContainText(winnerName);
  await expectAccessible(visitor, "public results");
  await visitor.getByTestId("positions").getByRole("link", { name: "YT-VT" }).click();
  await expect(visitor.getByTestId("digest")).toHaveText(digest);
  const list = visitor.locator('section[data-position="YT-VT"]');
  const selected = list.getByTestId("selected-list").locator("tbody tr").first();
  await expect(selected).toContainText(winnerName);
  await expectAccessible(visitor, "public list of a position");
  // The list shows everyone's scores by number, the winners' names only, and no one's birth date.
  await expect(list.getByTestId("reserve-list")).toContainText("71");
  await expect(list).not.toContainText("Đặng Thị Mai");
  await expect(list).not.toContainText(/\d{2}\/\d{2}\/\d{4}/);
  await visitor.goBack();
  const file = await visitor.request.get((await visitor.getByTestId("canonical-link").getAttribute("href")) ?? "");
  const { createHash } = await import("node:crypto");
  expect(createHash("sha256").update(await file.body()).digest("hex")).toBe(digest);
  // The list as a spreadsheet, for anyone.
  const xlsx = await visitor.request.get((await visitor.getByTestId("results-xlsx").getAttribute("href")) ?? "");
  expect(xlsx.status()).toBe(200);
  expect((await xlsx.body()).subarray(0, 2).toString()).toBe("PK");

  // The winner finds their personal lookup code on their application page (it is on their
  // admission ticket too) and looks themselves up with it, without JavaScript; the public
  // files hold no such code.
  const own = await as(browser, "thisinh.yt03@demo.example");
  await own.goto("/applications");
  const code = ((await own.getByTestId("application-lookup-code").first().textContent()) ?? "").trim();
  expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  expect(await file.text()).not.toContain(code.replace("-", ""));
  await visitor.getByTestId("lookup-link").click();
  await visitor.getByLabel("Số báo danh").fill(number);
  await visitor.getByLabel("Mã tra cứu kết quả").fill("14/03/1995");
  await visitor.getByRole("button", { name: "Tra cứu" }).click();
  await expect(visitor.getByTestId("error-summary")).toContainText("Không tìm thấy thí sinh");
  await expectAccessible(visitor, "result lookup error");
  await visitor.getByLabel("Mã tra cứu kết quả").fill(code.toLowerCase());
  await visitor.getByRole("button", { name: "Tra cứu" }).click();
  await expect(visitor.getByTestId("lookup-outcome")).toHaveText("Trúng tuyển");
  await expect(visitor.getByTestId("lookup-answer")).toContainText("76");
  await expectAccessible(visitor, "result lookup answer");

  // After publication: a winner does not complete the dossier; the next reserve takes the place.
  await hr.reload();
  await hydrated(hr);
  const kh = hr.getByTestId("winners").locator("tr", { hasText: "YT-KH" }).first();
  const khWinner = (await kh.getAttribute("data-number")) ?? "";
  // This round is under Decree 170/2025 as first made: the next reserve is recognised at once.
  await expect(kh.getByLabel("Căn cứ hủy")).toHaveValue("incomplete");
  await kh.getByLabel("Lý do").fill("Không nộp hồ sơ trong 15 ngày");
  await kh.getByRole("button", { name: "Hủy kết quả trúng tuyển" }).click();
  await expect(hr.getByTestId("recognised")).toContainText("Được công nhận trúng tuyển");
  await expect(hr.getByTestId("winners").locator("tr", { hasText: "Công nhận thay" })).toContainText(khWinner);
  await expect(hr.getByTestId("winners").locator(`tr[data-number="${khWinner}"]`).getByTestId("dossier-state")).toContainText("Không hoàn thiện hồ sơ");
  await expectAccessible(hr, "winners' dossiers");

  // The candidate was told in the portal.
  const candidate = await as(browser, "thisinh.yt01@demo.example");
  await candidate.goto("/applications");
  await expect(candidate.locator("main")).toContainText("Đã công bố kết quả tuyển dụng");
  await expectAccessible(candidate, "applicant home with results");
});

test("a candidate appeals against the written paper, two re-markers mark it blind, the chair answers, and version 2 shows what changed", async ({ browser }) => {
  test.setTimeout(240_000);
  // The TC-VT candidates (written paper only) and their demo accounts.
  const accounts: Record<string, string> = {
    "Vương Thị Hạnh": "thisinh.tc01@demo.example",
    "Tạ Văn Hùng": "thisinh.tc02@demo.example",
    "Kiều Thị Nga": "thisinh.tc03@demo.example",
  };
  const hr = await as(browser, DEMO.hr);
  await hr.goto("/hr/rounds");
  await hr.getByRole("link", { name: PUBLISHED }).click();
  await hr.getByTestId("results-link").click();
  await hydrated(hr);
  const resultsUrl = hr.url();
  // The first reserve candidate of TC-VT appeals against version 1.
  const visitor = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  const publicUrl = resultsUrl.replace(/\/hr\/rounds\/([^/]+)\/results.*/, "/results/$1");
  await visitor.goto(`${publicUrl}/positions/TC-VT`);
  await expect(visitor.getByTestId("version-number")).toHaveText("1");
  const vt = visitor.locator('section[data-position="TC-VT"]');
  const winnerName = ((await vt.getByTestId("selected-list").locator("tbody tr").first().locator("td").nth(2).textContent()) ?? "").trim();
  const reserveRow = vt.getByTestId("reserve-list").locator("tbody tr").first();
  // The public list names only the winners: the reserve candidate is known by number, which
  // their own admission ticket shows.
  await expect(reserveRow.locator("td").nth(2)).toHaveText("");
  const appellantNumber = ((await reserveRow.locator("td").nth(1).textContent()) ?? "").trim();
  const appellant = await accountWithNumber(browser, appellantNumber, Object.values(accounts));
  const appellantName = ((await appellant.getByTestId("signed-in-name").textContent()) ?? "").trim();
  expect(accounts[appellantName]).toBeTruthy();
  await appellant.goto("/applications");
  await appellant.getByTestId("appeal-link").click();
  await expect(appellant.getByRole("heading", { level: 1 })).toHaveText("Phúc khảo bài thi");
  const oldMark = ((await appellant.getByTestId("written-mark").textContent()) ?? "").split("/")[0].trim();
  await hydrated(appellant);
  await expectAccessible(appellant, "appeal form");
  await appellant.getByLabel("Lý do (không bắt buộc)").fill("Em đề nghị chấm lại câu 2");
  await appellant.getByRole("button", { name: "Nộp đơn phúc khảo" }).click();
  await expect(appellant.getByTestId("appeal-status")).toHaveText("Chờ ghi nhận lệ phí");
  await expect(appellant.getByTestId("my-appeal")).toContainText("150.000 đ");
  await expectAccessible(appellant, "appeal lodged");

  // HR records the fee and puts four members on the appeal board: the two who marked TC-VT
  // first (chamthi, chamthi2) may not re-mark it, so the paper goes to chamthi3 and the chair.
  await hr.goto(resultsUrl.replace(/\/results.*$/, "/appeals"));
  await hydrated(hr);
  const row = hr.getByTestId("appeals").locator(`tr[data-number="${appellantNumber}"]`);
  await expect(row).toContainText(appellantName);
  await expect(row.getByTestId("appeal-state")).toContainText("Chờ ghi nhận lệ phí");
  await expectAccessible(hr, "appeals");
  await row.getByLabel("Số biên lai").fill("BL-2026-0042");
  await row.getByRole("button", { name: "Ghi nhận lệ phí" }).click();
  await expect(row.getByTestId("appeal-state")).toContainText("Chờ giao bài phúc khảo");
  await hr.goto(resultsUrl.replace(/\/results.*$/, "/marking"));
  await hydrated(hr);
  for (const email of [DEMO.marker, DEMO.marker2, DEMO.marker3, DEMO.chair]) {
    const form = hr.getByTestId("add-member-form");
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Nhiệm vụ").selectOption("appeal");
    await form.getByRole("button").click();
    await expect(hr.getByTestId("board-members").locator("li", { hasText: email }).filter({ hasText: "Phúc khảo" })).toBeVisible();
  }
  await expectAccessible(hr, "appeal board");
  await hr.goto(resultsUrl.replace(/\/results.*$/, "/appeals"));
  await hydrated(hr);
  await hr.getByRole("button", { name: "Giao bài phúc khảo" }).click();
  await expect(row.getByTestId("appeal-state")).toContainText("Đang chấm phúc khảo");
  const code = ((await row.locator("code").textContent()) ?? "").trim();
  expect(code).toMatch(/^[A-Z2-9]{6}$/);
  await expectAccessible(hr, "appeal papers handed out");

  // The re-markers see the new code only — no name, no old mark — and mark it.
  const firstMarker = await as(browser, DEMO.marker);
  await firstMarker.goto("/marking");
  await hydrated(firstMarker);
  await expect(firstMarker.getByTestId("my-sheets")).toBeVisible();
  await expect(firstMarker.getByTestId("appeal-papers")).toHaveCount(0);
  await expectAccessible(firstMarker, "marking home");
  for (const [email, mark] of [[DEMO.marker3, "90"], [DEMO.chair, "88"]]) {
    await remarkPaper(browser, email, code, mark, appellantName);
  }

  // The chair answers: 90 and 88 agree, the paper's mark becomes 89.
  const chair = await as(browser, DEMO.chair);
  await chair.goto(resultsUrl.replace(/\/results.*$/, "/appeals"));
  await hydrated(chair);
  const chairRow = chair.getByTestId("appeals").locator(`tr[data-number="${appellantNumber}"]`);
  await expect(chairRow.getByTestId("appeal-state")).toContainText("Hai điểm phúc khảo thống nhất: 89");
  await chair.getByRole("button", { name: "Trả lời các đơn đã có kết quả" }).click();
  await expect(chairRow.getByTestId("appeal-state")).toContainText("Đã trả lời phúc khảo: 89");
  await expectAccessible(chair, "appeals answered");
  await appellant.reload();
  await expect(appellant.getByTestId("appeal-status")).toContainText(`${oldMark} → 89`);
  await expectAccessible(appellant, "appeal answered");

  // Results again: HR computes version 2, the chair approves, HR publishes.
  await hr.goto(resultsUrl);
  await hydrated(hr);
  await hr.getByRole("button", { name: "Tính kết quả (bản nháp)" }).click();
  await expect(hr.getByTestId("version-status")).toHaveText("Bản nháp");
  await chair.goto(resultsUrl);
  await hydrated(chair);
  await chair.getByRole("button", { name: "Phê duyệt kết quả" }).click();
  await expect(chair.getByTestId("version-status")).toHaveText("Đã phê duyệt");
  await hr.reload();
  await hydrated(hr);
  await hr.getByRole("button", { name: "Công bố kết quả" }).click();
  await expect(hr.getByTestId("published-versions")).toContainText("Đã được thay bằng phiên bản sau");

  // Anyone sees version 2, the appellant now selected, and what changed since version 1.
  await visitor.goto(publicUrl);
  await expect(visitor.getByTestId("version-number")).toHaveText("2");
  await expect(visitor.getByTestId("positions").locator('tr[data-position="TC-VT"]')).toContainText(appellantName);
  const changes = visitor.getByTestId("changes");
  await expect(changes.locator("tr", { hasText: appellantName })).toContainText("→ 89");
  await expect(changes.locator("tr", { hasText: appellantName })).toContainText("Trúng tuyển");
  await expect(changes.locator("tr", { hasText: winnerName })).toBeVisible();
  await expectAccessible(visitor, "public results version 2");
  await appellant.goto("/applications");
  await expect(appellant.locator("main")).toContainText("Đã trả lời phúc khảo");

  // A re-marker's /marking page, with the answered paper listed under their own sheets, still
  // hydrates and opens a sheet in the browser. (It once panicked while hydrating once the
  // results journey had also run, and its links then led nowhere.)
  const clerk = await as(browser, DEMO.marker3);
  await clerk.goto("/marking");
  await hydrated(clerk);
  await expect(clerk.getByTestId("appeal-papers")).toBeVisible();
  const sheet = clerk.getByTestId("my-sheets").locator("tr", { hasText: "TC-KH" }).filter({ hasText: "Phỏng vấn" });
  await sheet.getByRole("link", { name: "Nhập điểm" }).click();
  await expect(clerk.getByTestId("sheet-rows")).toBeVisible();
});

test("an invigilator records a penalty on the phone sheet, the chair confirms it, and the candidate sees the decision", async ({ browser }) => {
  // Circular 22/2025: the invigilator records the penalty in the room with a short report;
  // the council chair decides it when results are compiled; the candidate is told.
  const phone = await browser.newContext({ viewport: { width: 390, height: 800 } });
  const invigilator = await phone.newPage();
  await signIn(invigilator, DEMO.marker, DEMO_PASSWORD);
  await expect(invigilator.getByTestId("signed-in-name")).toBeVisible();
  await invigilator.goto("/invigilation");
  await hydrated(invigilator);
  await invigilator.getByTestId("my-rooms").locator("li", { hasText: "Ca 1 - thi viết" }).getByRole("link").first().click();
  await hydrated(invigilator);
  const line = invigilator.getByTestId("attendance").locator("li", { hasText: "Nguyễn Thị Hà" });
  const form = line.getByTestId("penalty-form");
  await form.locator("summary").click();
  // A penalty needs its report.
  await form.getByLabel("Hình thức kỷ luật").selectOption("reprimand");
  await form.getByRole("button", { name: "Ghi kỷ luật" }).click();
  await expect(invigilator.getByTestId("error-summary")).toContainText("Ghi biên bản ngắn");
  await form.getByLabel("Biên bản: thí sinh đã vi phạm gì").fill("Trao đổi bài với thí sinh ngồi bên cạnh sau khi đã bị nhắc");
  await form.getByRole("button", { name: "Ghi kỷ luật" }).click();
  await expect(invigilator.getByTestId("penalty-recorded")).toBeVisible();
  await expectAccessible(invigilator, "penalty recorded on a phone");
  await phone.close();

  // The chair finds it on the round's results page and confirms it.
  const chair = await as(browser, DEMO.chair);
  await chair.goto("/board");
  await chair.getByTestId("chaired-rounds").getByRole("link", { name: ROUND }).click();
  await expect(chair).toHaveURL(/\/board\/rounds\/[0-9a-f-]{36}$/);
  // Marking is not over, so the page has no results yet; the penalties wait there all the same.
  const roundId = chair.url().split("/").pop();
  await chair.goto(`/hr/rounds/${roundId}/results`);
  await hydrated(chair);
  const penalties = chair.getByTestId("penalties");
  const entry = penalties.locator("li", { hasText: "Nguyễn Thị Hà" });
  await expect(entry).toContainText("Khiển trách (trừ 25% điểm bài thi)");
  await expect(entry).toContainText("Trao đổi bài với thí sinh ngồi bên cạnh");
  await expect(entry.getByTestId("penalty-status")).toContainText("Chờ Chủ tịch Hội đồng quyết định");
  await expectAccessible(chair, "penalties to decide");
  await entry.getByLabel("Ghi chú quyết định").fill("Đã đối chiếu biên bản phòng thi");
  await entry.getByLabel("Quyết định", { exact: true }).selectOption("confirmed");
  await entry.getByRole("button", { name: "Ghi quyết định" }).click();
  await expect(entry.getByTestId("penalty-status")).toContainText("Đã xác nhận áp dụng");

  // The candidate sees the decision on their timeline.
  const candidate = await as(browser, "thisinh.gd01@demo.example");
  await candidate.goto("/applications");
  await hydrated(candidate);
  const timeline = candidate.getByTestId("timeline").first();
  await expect(timeline).toContainText("Quyết định kỷ luật do vi phạm nội quy thi");
  await expect(timeline).toContainText("Trừ 25% điểm bài thi");
  await expectAccessible(candidate, "penalty on the candidate's timeline");
});

test("under the amended decree an appeal against the published exam scores is re-marked by three, the council chair minutes the decision, only then are results compiled, a winner struck off for fraud is replaced by the next-ranked after the cancelled list, and the other is appointed and reports for work", async ({ browser }) => {
  test.setTimeout(240_000);
  // Decree 170/2025 Art 17–18 and Circular 22/2025 Art 16.
  const appellantName = "Hồ Thị Ngọc";
  const hr = await as(browser, DEMO.hr);
  await hr.goto("/hr/rounds");
  await hr.getByRole("link", { name: SEQUENCE }).click();
  // The round's legal clocks: the appeal window has closed; compiling waits for re-marking.
  const clocks = hr.getByTestId("clocks");
  await expect(clocks.locator('tr[data-step="AppealWindow"]').getByTestId("clock-state")).toHaveText("Đúng hạn");
  await expect(clocks.locator('tr[data-step="Compile"]').getByTestId("clock-state")).toHaveText("Chưa đến bước này");
  await expectAccessible(hr, "round's legal clocks");
  const roundUrl = hr.url();
  await hr.getByTestId("results-link").click();
  await hydrated(hr);
  const resultsUrl = hr.url();
  const appealsUrl = resultsUrl.replace(/\/results.*$/, "/appeals");
  // Both positions' scores were published three weeks ago and the window has closed, but one
  // paid appeal is unanswered: compiling waits for it.
  const scores = hr.getByTestId("exam-scores");
  for (const code of ["NV-VT", "NV-KH"]) {
    await expect(scores.locator(`tr[data-position="${code}"]`).getByTestId("scores-state")).toContainText("Đã công bố");
  }
  await expect(scores.getByTestId("compile-waits")).toContainText("Còn đơn phúc khảo đã nộp lệ phí chưa được trả lời");
  await hr.getByRole("button", { name: "Tính kết quả (bản nháp)" }).click();
  await expect(hr.getByTestId("error-summary")).toContainText("Còn đơn phúc khảo đã nộp lệ phí chưa được trả lời");
  await expectAccessible(hr, "compiling waits for the appeal");

  // HR hands the paper out, under a new code, to two of the three on the appeal board.
  await hr.goto(appealsUrl);
  await hydrated(hr);
  const row = hr.getByTestId("appeals").locator("tr", { hasText: appellantName });
  await expect(row.getByTestId("appeal-state")).toContainText("Chờ giao bài phúc khảo");
  await hr.getByRole("button", { name: "Giao bài phúc khảo" }).click();
  await expect(row.getByTestId("appeal-state")).toContainText("Đang chấm phúc khảo");
  const code = ((await row.locator("code").textContent()) ?? "").trim();
  const listed = (await row.locator("li").allTextContents()).join(" | ");
  const assigned = Object.keys(APPEAL_BOARD).filter((name) => listed.includes(name));
  expect(assigned, listed).toHaveLength(2);

  // They re-mark blind, 75 and 88: 13 apart, so a third re-marker is needed.
  await remarkPaper(browser, APPEAL_BOARD[assigned[0]], code, "75", appellantName);
  await remarkPaper(browser, APPEAL_BOARD[assigned[1]], code, "88", appellantName);
  const chair = await as(browser, DEMO.chair);
  await chair.goto(appealsUrl);
  await hydrated(chair);
  const chairRow = chair.getByTestId("appeals").locator("tr", { hasText: appellantName });
  await expect(chairRow.getByTestId("appeal-state")).toContainText("cần người chấm phúc khảo thứ ba");
  await expectAccessible(chair, "appeal needing a third re-marker");
  await chairRow.getByRole("button", { name: "Giao người chấm phúc khảo thứ ba" }).click();
  await expect(chairRow.getByTestId("appeal-state")).toContainText("Đang chấm phúc khảo");
  const third = Object.keys(APPEAL_BOARD).find((name) => !assigned.includes(name)) ?? "";
  await expect(chairRow).toContainText(third);
  await remarkPaper(browser, APPEAL_BOARD[third], code, "88", appellantName);

  // Two of three say 88, 17 from the published 71: the council chair confers with both chiefs
  // and decides, in minutes.
  await chair.reload();
  await hydrated(chair);
  await expect(chairRow.getByTestId("appeal-state")).toContainText("chờ Chủ tịch Hội đồng quyết định");
  await expect(chairRow.getByTestId("appeal-state")).toContainText("Điểm phúc khảo: 88");
  await chairRow.getByLabel("Điểm", { exact: true }).fill("80");
  await chairRow.getByLabel("Biên bản trao đổi với Trưởng ban chấm thi và Trưởng ban phúc khảo").fill("Biên bản số 05/BB-HĐTD: thống nhất 80 điểm sau khi đối chiếu đáp án câu 2 và câu 4");
  await chairRow.getByRole("button", { name: "Ghi quyết định của Chủ tịch Hội đồng" }).click();
  await expect(chairRow.getByTestId("appeal-state")).toContainText("Chủ tịch Hội đồng đã quyết định: 80");
  await expect(chairRow.getByTestId("appeal-council")).toContainText("Biên bản số 05/BB-HĐTD");
  await expectAccessible(chair, "council chair's minuted decision");
  await chair.getByRole("button", { name: "Trả lời các đơn đã có kết quả" }).click();
  await expect(chairRow.getByTestId("appeal-state")).toContainText("Đã trả lời phúc khảo: 80");

  // Now results compile: 80 beats 76, so the appellant wins NV-VT.
  await hr.goto(resultsUrl);
  await hydrated(hr);
  await expect(hr.getByTestId("exam-scores").getByTestId("compile-waits")).toContainText("Đã đủ điều kiện tổng hợp kết quả");
  await hr.getByRole("button", { name: "Tính kết quả (bản nháp)" }).click();
  await expect(hr.getByTestId("version-status")).toHaveText("Bản nháp");
  await hr.getByTestId("positions-overview").getByRole("link", { name: "NV-VT" }).click();
  const winner = hr.locator('section[data-position="NV-VT"]').getByTestId("result-candidates").locator("tbody tr").first();
  await expect(winner).toContainText("Trúng tuyển");
  await expect(winner.locator("td").nth(2)).toHaveText(appellantName);
  await expect(winner).toContainText("80");
  await chair.goto(resultsUrl);
  await hydrated(chair);
  await chair.getByRole("button", { name: "Phê duyệt kết quả" }).click();
  await expect(chair.getByTestId("version-status")).toHaveText("Đã phê duyệt");
  await hr.reload();
  await hydrated(hr);
  await hr.getByRole("button", { name: "Công bố kết quả" }).click();
  await expect(hr.getByTestId("published-versions")).toContainText("Đã công bố");
  await hr.goto(roundUrl);
  await expect(clocks.locator('tr[data-step="PublishWinners"]').getByTestId("clock-state")).toHaveText("Đúng hạn");
  await expect(clocks.locator('tr[data-step="Dossiers"]').getByTestId("clock-state")).toContainText("Còn");

  // Decree 170/2025 Art 18 as amended by Decree 300/2026: the NV-KH winner is struck off for
  // fraud; the cancelled list is published with the reason; only then is the next-ranked
  // candidate recognised, and anyone reads the list.
  await hr.goto(resultsUrl);
  await hydrated(hr);
  const kh = hr.getByTestId("winners").locator("tr", { hasText: "NV-KH" }).first();
  const struck = (await kh.getAttribute("data-number")) ?? "";
  await kh.getByLabel("Căn cứ hủy").selectOption({ label: "Gian lận trong kê khai hồ sơ" });
  await kh.getByLabel("Lý do").fill("Bằng tốt nghiệp không có trong sổ gốc của trường");
  await kh.getByRole("button", { name: "Hủy kết quả trúng tuyển" }).click();
  const struckRow = hr.getByTestId("winners").locator(`tr[data-number="${struck}"]`);
  await expect(struckRow.getByTestId("dossier-state")).toContainText("Gian lận trong kê khai hồ sơ: Bằng tốt nghiệp không có trong sổ gốc của trường");
  const after = hr.getByTestId("after-selection");
  await expect(after.getByTestId("cancelled-unlisted")).toContainText(struck);
  await expect(hr.getByTestId("winners").locator("tr", { hasText: "Công nhận thay" })).toHaveCount(0);
  await expectAccessible(hr, "a winner struck off, the list not yet published");
  await after.getByRole("button", { name: "Công bố danh sách hủy" }).click();
  await expect(after.getByTestId("cancelled-published")).toContainText("Đã công bố danh sách hủy lần 1");
  await expect(struckRow.getByTestId("dossier-state")).toContainText("đã công bố trong danh sách hủy");
  await expect(after.getByTestId("next-ranked-waiting")).toContainText(struck);
  await expect(after.getByTestId("next-ranked-due")).toBeVisible();
  await after.getByRole("button", { name: "Công nhận người xếp kế tiếp" }).click();
  await expect(after.getByTestId("next-ranked-done")).toContainText("Đã công nhận trúng tuyển: NV26-");
  const recognisedRow = hr.getByTestId("winners").locator("tr", { hasText: "Công nhận thay" });
  await expect(recognisedRow).toContainText(struck);
  const recognised = (await recognisedRow.getAttribute("data-number")) ?? "";
  await expect(after.getByTestId("cancelled-list").locator(`tr[data-number="${struck}"]`).getByTestId("replaced-by")).toHaveText(recognised);
  await expectAccessible(hr, "the cancelled list and the next-ranked");
  await hr.goto(roundUrl);
  await expect(clocks.locator('tr[data-step="NextRanked"]').getByTestId("clock-state")).toHaveText("Đúng hạn");

  // Anyone reads the cancelled list from the public results, without signing in.
  const visitor = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await visitor.goto(resultsUrl.replace(/\/hr\/rounds\/([^/]+)\/results.*/, "/results/$1"));
  await visitor.getByTestId("cancelled-link").click();
  const publicRow = visitor.getByTestId("cancelled-list").locator(`tr[data-number="${struck}"]`);
  await expect(publicRow).toContainText("Gian lận trong kê khai hồ sơ");
  await expect(publicRow).toContainText("Bằng tốt nghiệp không có trong sổ gốc của trường");
  await expect(publicRow.getByTestId("replaced-by")).toHaveText(recognised);
  await expectAccessible(visitor, "public cancelled list");

  // Decree 170/2025 Art 19 as amended: the NV-VT winner completes the dossier, the appointment
  // decision is recorded, and she reports for work.
  const today = new Date().toLocaleDateString("en-GB", { timeZone: "Asia/Ho_Chi_Minh" });
  await hr.goto(resultsUrl);
  await hydrated(hr);
  const vt = hr.getByTestId("winners").locator("tr", { hasText: appellantName });
  await vt.getByRole("button", { name: "Đã hoàn thiện" }).click();
  await expect(vt.getByTestId("dossier-state")).toHaveText("Đã hoàn thiện hồ sơ tuyển dụng");
  await vt.getByLabel("Quyết định tuyển dụng (số, người ký)").fill("Quyết định số 118/QĐ-SNV của Giám đốc Sở Nội vụ");
  await vt.getByLabel("Ngày quyết định (dd/mm/yyyy)").fill(today);
  await vt.getByRole("button", { name: "Ghi quyết định tuyển dụng" }).click();
  await expect(vt.getByTestId("appointment-state")).toContainText("Có quyết định tuyển dụng: Quyết định số 118/QĐ-SNV");
  await expect(vt.getByTestId("appointment-state")).toContainText("nhận việc trước");
  await expectAccessible(hr, "an appointment waiting for the appointee");
  await vt.getByLabel("Ngày nhận việc (dd/mm/yyyy)").fill(today);
  await vt.getByRole("button", { name: "Đã nhận việc" }).click();
  await expect(vt.getByTestId("appointment-state")).toContainText(`Đã nhận việc: ${today}`);
  await hr.goto(roundUrl);
  await expect(clocks.locator('tr[data-step="Appointment"]').getByTestId("clock-state")).toHaveText("Đúng hạn");
  await expect(clocks.locator('tr[data-step="Reporting"]').getByTestId("clock-state")).toHaveText("Đúng hạn");

  // The appellant followed every step on their timeline.
  const appellant = await as(browser, "thisinh.nv01@demo.example");
  await appellant.goto("/applications");
  const timeline = appellant.getByTestId("timeline").first();
  await expect(timeline).toContainText("Đã công bố điểm thi");
  await expect(timeline).toContainText("Đã trả lời phúc khảo");
  await expect(timeline).toContainText("Đã công bố kết quả tuyển dụng");
  // Told the dossier's deadline with the result: 15 days under Decree 300 (Art 18.1 as amended).
  await expect(timeline).toContainText("hạn hoàn thiện hồ sơ");
  await expect(timeline).toContainText("Có quyết định tuyển dụng");
  await expect(timeline).toContainText("Đã nhận việc");
  await expectAccessible(appellant, "appellant's timeline after the results");
});
