use super::*;
use crate::results::round_ranking::rank_round;
use proptest::prelude::*;

fn run(input: Value) -> Value {
    let input = parse(&input).unwrap_or_else(|p| panic!("{:?}", p.listed));
    output(&rank_round(&input))
}

fn problems(input: Value) -> Vec<(String, String)> {
    let p = parse(&input).expect_err("should be refused");
    assert_eq!(p.total, p.listed.len());
    p.listed.into_iter().map(|p| (p.path, p.reason)).collect()
}

fn paths(input: Value) -> Vec<String> {
    problems(input).into_iter().map(|(path, _)| path).collect()
}

/// One position, written + interview, one unit with `places`.
fn round(places: u32, candidates: Value) -> Value {
    json!({
        "pass_mark": "50",
        "written_weight_percent": 70,
        "priority_points": {"AH": "7.5", "DT": "5", "XN": "2.5", "CD": "1.5"},
        "positions": [{"code": "P1", "test": "written_interview",
                       "units": [{"code": "U1", "places": places}]}],
        "candidates": candidates,
        "tie_decisions": [],
    })
}

fn numbers(list: &Value) -> Vec<&str> {
    (list.as_array().unwrap().iter())
        .map(|e| e["number"].as_str().unwrap())
        .collect()
}

/// Decree 170/2025 Art 9–10: 70 % written + 30 % interview rounded once; each part ≥ 50 % of
/// its maximum; the pass mark on the score without priority points; priority added after.
#[test]
fn a_written_and_interview_position_is_ranked_by_the_law() {
    let out = run(round(
        2,
        json!([
            // 0.7 × 80 + 0.3 × 60 = 74 + 5 priority = 79.
            {"number": "TS-00001", "position": "P1", "stage1_passed": true,
             "scores": {"written": "80", "interview": "60"}, "priority": ["DT"]},
            // 0.7 × 90 + 0.3 × 45 = 76.5, but the interview is under half: not eligible.
            {"number": "TS-00002", "position": "P1", "stage1_passed": true,
             "scores": {"written": "90", "interview": "45"}},
            // 77.5 + nothing; two categories: only the highest counts (7.5, not 7.5 + 1.5).
            {"number": "TS-00003", "position": "P1", "stage1_passed": true,
             "scores": {"written": "75", "interview": "83.33"}, "priority": ["AH", "CD"]},
            // Interview not sat.
            {"number": "TS-00004", "position": "P1", "stage1_passed": true,
             "scores": {"written": "99"}},
            // 48 + 7.5: below the pass mark without the points.
            {"number": "TS-00005", "position": "P1", "stage1_passed": true,
             "scores": {"written": "50", "interview": "50"}, "penalty_percent": {"written": 25}},
            {"number": "TS-00006", "position": "P1", "stage1_passed": false,
             "scores": {"written": "100", "interview": "100"}},
            {"number": "TS-00007", "position": "P1", "stage1_passed": true, "excluded": true,
             "scores": {"written": "100", "interview": "100"}},
            {"number": "TS-00008", "position": "P1", "stage1_passed": true,
             "scores": {"written": "60", "interview": "60"}},
        ]),
    ));
    let p1 = &out["positions"][0];
    assert_eq!(p1["code"], "P1");
    // 75 × 0.7 + 83.33 × 0.3 = 52.5 + 24.999 = 77.499 → 77.50, + 7.5 = 85.
    assert_eq!(
        p1["selected"],
        json!([
            {"number": "TS-00003", "unit": "U1", "rank": 1, "total": "85"},
            {"number": "TS-00001", "unit": "U1", "rank": 2, "total": "79"},
        ])
    );
    assert_eq!(
        p1["reserve"],
        json!([{"number": "TS-00008", "rank": 3, "total": "60"}])
    );
    assert_eq!(p1["undecided"], json!([]));
    assert_eq!(
        p1["not_eligible"],
        json!([
            {"number": "TS-00002", "reason": "part_below_half"},
            {"number": "TS-00004", "reason": "absent"},
            // The penalty comes first: written 50 − 25 % = 37.5, under half.
            {"number": "TS-00005", "reason": "part_below_half"},
            {"number": "TS-00006", "reason": "stage1_failed"},
            {"number": "TS-00007", "reason": "excluded"},
        ])
    );
}

/// Art 10.2: equal totals → higher specialised score → higher written score → the head's
/// decision; still equal without one, they share a rank and the group is undecided.
#[test]
fn ties_follow_the_specialised_then_the_written_score_then_the_head() {
    let candidates = json!([
        // 0.7 × 70 + 0.3 × 70 = 70.
        {"number": "TS-00001", "position": "P1", "scores": {"written": "70", "interview": "70"}},
        // 0.7 × 60 + 0.3 × 93.33 = 69.999 → 70.00: equal, lower written.
        {"number": "TS-00002", "position": "P1", "scores": {"written": "60", "interview": "93.33"}},
        // 65 + 5 = 70 total, lower specialised score.
        {"number": "TS-00003", "position": "P1", "scores": {"written": "65", "interview": "65"},
         "priority": ["DT"]},
        // Exactly like TS-00001.
        {"number": "TS-00004", "position": "P1", "scores": {"written": "70", "interview": "70"}},
    ]);
    let out = run(round(1, candidates.clone()));
    let p1 = &out["positions"][0];
    assert_eq!(p1["selected"], json!([]));
    assert_eq!(p1["undecided"], json!([["TS-00001", "TS-00004"]]));
    assert_eq!(numbers(&p1["reserve"]), ["TS-00002", "TS-00003"]);
    assert_eq!(p1["reserve"][0]["rank"], 3);

    let mut decided = round(1, candidates);
    decided["tie_decisions"] = json!([{"position": "P1", "order": ["TS-00004", "TS-00001"]}]);
    let out = run(decided);
    let p1 = &out["positions"][0];
    assert_eq!(numbers(&p1["selected"]), ["TS-00004"]);
    assert_eq!(
        numbers(&p1["reserve"]),
        ["TS-00001", "TS-00002", "TS-00003"]
    );
    let ranks: Vec<&Value> = p1["reserve"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["rank"])
        .collect();
    assert_eq!(ranks, [&json!(2), &json!(3), &json!(4)]);
}

/// Candidates still equal who are all on the reserve list share a rank: their order is the
/// head's to decide when the time comes, not their candidate number's.
#[test]
fn equal_reserve_candidates_share_a_rank() {
    let out = run(round(
        1,
        json!([
            {"number": "TS-00003", "position": "P1", "scores": {"written": "90", "interview": "90"}},
            {"number": "TS-00002", "position": "P1", "scores": {"written": "60", "interview": "60"}},
            {"number": "TS-00001", "position": "P1", "scores": {"written": "60", "interview": "60"}},
        ]),
    ));
    let reserve = &out["positions"][0]["reserve"];
    assert_eq!(
        *reserve,
        json!([
            {"number": "TS-00001", "rank": 2, "total": "60"},
            {"number": "TS-00002", "rank": 2, "total": "60"},
        ])
    );
}

#[test]
fn one_part_tests_shared_units_and_positions_without_stage_one() {
    let input = json!({
        "pass_mark": "50",
        "written_weight_percent": 70,
        "priority_points": {},
        "positions": [
            {"code": "NV", "test": "oral", "units": [{"code": "A", "places": 1}, {"code": "B", "places": 1}]},
            {"code": "CVC", "test": "written", "maximum": 80, "units": [{"code": "A", "places": 1}]},
        ],
        "candidates": [
            {"number": "1", "position": "NV", "stage1_passed": null, "scores": {"oral": "70"},
             "preferences": ["B", "A"]},
            {"number": "2", "position": "NV", "scores": {"oral": "80"}, "preferences": ["B"]},
            {"number": "3", "position": "NV", "scores": {"oral": "90"}},
            // 40 of 80 is 50 of 100: exactly the pass mark.
            {"number": "4", "position": "CVC", "scores": {"written": "40"}},
        ],
    });
    let out = run(input);
    // Positions come out in the order of their codes.
    assert_eq!(out["positions"][0]["code"], "CVC");
    assert_eq!(out["positions"][0]["selected"][0]["total"], "50");
    let nv = &out["positions"][1];
    assert_eq!(
        nv["selected"],
        json!([
            {"number": "2", "unit": "B", "rank": 2, "total": "80"},
            {"number": "1", "unit": "A", "rank": 3, "total": "70"},
        ])
    );
    // Several units and no preference: eligible, but for no unit.
    assert_eq!(
        nv["not_eligible"],
        json!([{"number": "3", "reason": "no_preference"}])
    );
}

#[test]
fn every_problem_is_listed_with_its_path() {
    let input = json!({
        "pass_mark": 50,
        "written_weight_percent": 170,
        "priority_points": {"AH": "7.55"},
        "positions": [
            {"code": "P1", "test": "essay", "units": []},
            {"code": "P2", "test": "written_interview", "units": [{"code": "U", "places": -1}]},
        ],
        "candidates": [
            {"number": "A", "position": "P9"},
            {"number": "B", "position": "P2", "scores": {"written": "62,25", "oral": "5",
             "interview": "101"}, "penalty_percent": {"written": 30}, "priority": ["XX"],
             "preferences": ["Z"], "stage1_passed": "yes", "penalty": 25},
            {"number": "B", "position": "P2"},
        ],
        "tie_decisions": [{"position": "P2", "order": ["B", "Q"]}],
    });
    assert_eq!(
        paths(input),
        [
            "pass_mark",
            "written_weight_percent",
            "priority_points.AH",
            "positions[0].test",
            "positions[0].units",
            "positions[1].units[0].places",
            "candidates[0].position",
            "candidates[1].penalty",
            "candidates[1].stage1_passed",
            "candidates[1].scores.interview",
            "candidates[1].scores.oral",
            "candidates[1].scores.written",
            "candidates[1].penalty_percent.written",
            "candidates[1].priority[0]",
            "candidates[1].preferences[0]",
            "candidates[2].number",
            "tie_decisions[0].order[1]",
        ]
    );
    let reasons = problems(json!([]));
    assert_eq!(
        reasons,
        [("(top)".to_string(), "must be an object".to_string())]
    );
    let missing = paths(json!({}));
    assert_eq!(
        missing,
        [
            "pass_mark",
            "written_weight_percent",
            "priority_points",
            "positions",
            "candidates"
        ]
    );
}

#[test]
fn the_problem_list_is_capped() {
    let candidates: Vec<Value> = (0..500)
        .map(|i| json!({"number": i, "position": "P1"}))
        .collect();
    let p = parse(&round(1, Value::Array(candidates))).expect_err("numbers must be strings");
    assert_eq!(p.listed.len(), MAX_PROBLEMS);
    assert_eq!(p.total, 500);
}

#[test]
fn the_file_format_reads_back() {
    let input = round(
        2,
        json!([
            {"number": "TS-00001", "position": "P1", "stage1_passed": true, "excluded": false,
             "scores": {"written": "80.5", "interview": "60"}, "penalty_percent": {"interview": 50},
             "priority": ["DT"], "preferences": ["U1"]},
        ]),
    );
    let parsed = parse(&input).unwrap();
    assert_eq!(parse(&to_json(&parsed)), Ok(parsed.clone()));
    assert_eq!(
        to_json(&parsed)["candidates"][0]["scores"]["written"],
        "80.5"
    );
}

proptest! {
    /// Output never depends on the order the candidates are listed in.
    #[test]
    fn input_order_does_not_matter(
        scores in prop::collection::vec((0u32..=20, 0u32..=20, 0usize..4), 1..12),
        seed in any::<u64>(),
    ) {
        let codes = ["", "DT", "XN", "CD"];
        let mut candidates: Vec<Value> = (scores.iter().enumerate())
            .map(|(i, (w, o, p))| {
                let priority: Vec<&str> = codes[*p..*p + 1].iter().filter(|c| !c.is_empty()).copied().collect();
                json!({"number": format!("TS-{:05}", i + 1), "position": "P1",
                       "scores": {"written": (w * 5).to_string(), "interview": (o * 5).to_string()},
                       "priority": priority})
            })
            .collect();
        let before = run(round(3, Value::Array(candidates.clone())));
        let mut state = seed;
        for i in (1..candidates.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            candidates.swap(i, (state >> 33) as usize % (i + 1));
        }
        prop_assert_eq!(before, run(round(3, Value::Array(candidates))));
    }

    #[test]
    fn parsing_anything_never_panics(text in ".{0,200}") {
        if let Ok(value) = serde_json::from_str::<Value>(&text) {
            let _ = parse(&value);
        }
    }
}
