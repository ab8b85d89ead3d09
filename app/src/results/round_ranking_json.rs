//! The ranking input and output as JSON, the format `server rank` reads and writes and the
//! published snapshot carries (README, "Recomputing a result"). Reading collects every
//! problem with its path instead of stopping at the first, so a person fixing a file by hand
//! sees all of them at once; the list is capped like every other error list of the portal.
//!
//! Numbers that are scores or points are decimal strings ("62.25"), never JSON numbers, so no
//! reader turns them into binary fractions.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::results::ranking::{NotSelectedReason, Outcome};
use crate::results::round_ranking::{
    CandidateInput, Part, PositionInput, RankedPosition, RoundInput, Test, TieDecisionInput,
    UnitInput,
};
use crate::scoring::marks::{Mark, Scale};

/// What is wrong at one place of the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where, as `candidates[3].scores.written`.
    pub path: String,
    pub reason: String,
}

/// At most this many problems are listed; the count of the rest is said.
pub const MAX_PROBLEMS: usize = 100;

/// Problems found reading an input: the first `MAX_PROBLEMS` and how many there were.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Problems {
    pub listed: Vec<Problem>,
    pub total: usize,
}

impl Problems {
    fn add(&mut self, path: &str, reason: impl Into<String>) {
        self.total += 1;
        if self.listed.len() < MAX_PROBLEMS {
            let path = path.to_string();
            let reason = reason.into();
            self.listed.push(Problem { path, reason });
        }
    }
}

/// Made-up ids for a file's candidates, units and decisions: distinct kinds never collide.
fn made_up(kind: u128, index: usize) -> Uuid {
    Uuid::from_u128((kind << 64) | (index as u128 + 1))
}

/// Reads a ranking input; every problem when it is not one.
pub fn parse(value: &Value) -> Result<RoundInput, Problems> {
    let mut p = Problems::default();
    let Some(top) = object(value, "", &mut p) else {
        return Err(p);
    };
    known_keys(
        top,
        "",
        &[
            "pass_mark",
            "written_weight_percent",
            "priority_points",
            "positions",
            "candidates",
            "tie_decisions",
        ],
        &mut p,
    );
    let pass_mark = required(top, "", "pass_mark", &mut p).and_then(|v| {
        let mark = decimal(v, "pass_mark", 100, &mut p)?;
        let whole = mark.hundredths() % 100 == 0 && mark.hundredths() > 0;
        whole.then_some(mark).or_else(|| {
            p.add(
                "pass_mark",
                "must be a whole number of points from 1 to 100",
            );
            None
        })
    });
    let weight = required(top, "", "written_weight_percent", &mut p)
        .and_then(|v| integer(v, "written_weight_percent", 0, 100, &mut p))
        .map(|w| w as u8);
    let mut priority_points = BTreeMap::new();
    if let Some(points) = required(top, "", "priority_points", &mut p)
        .and_then(|v| object(v, "priority_points", &mut p))
    {
        for (code, value) in entries(points) {
            let path = format!("priority_points.{code}");
            if code.trim().is_empty() {
                p.add(&path, "a category code may not be empty");
            }
            if let Some(mark) = decimal(value, &path, 20, &mut p) {
                if mark.hundredths() % 10 == 0 {
                    priority_points.insert(code.clone(), mark);
                } else {
                    p.add(&path, "points come in tenths (7.5, 2.5, 1.5)");
                }
            }
        }
    }
    let positions = positions(top, &mut p);
    let candidates = candidates(top, &positions, &priority_points, &mut p);
    let tie_decisions = tie_decisions(top, &positions, &candidates, &mut p);
    match (pass_mark, weight, p.total) {
        (Some(pass_mark), Some(written_weight_percent), 0) => Ok(RoundInput {
            pass_mark,
            written_weight_percent,
            priority_points,
            positions,
            candidates,
            tie_decisions,
        }),
        _ => Err(p),
    }
}

fn positions(top: &Map<String, Value>, p: &mut Problems) -> Vec<PositionInput> {
    let mut out: Vec<PositionInput> = Vec::new();
    let list = required(top, "", "positions", p).and_then(|v| array(v, "positions", p));
    let mut unit_index = 0;
    for (i, value) in list.into_iter().flatten().enumerate() {
        let path = format!("positions[{i}]");
        let Some(fields) = object(value, &path, p) else {
            continue;
        };
        let keys = ["code", "test", "maximum", "written_weight_percent", "units"];
        known_keys(fields, &path, &keys, p);
        let code =
            required(fields, &path, "code", p).and_then(|v| code_text(v, &field(&path, "code"), p));
        if let Some(code) = &code {
            if out.iter().any(|o| &o.code == code) {
                p.add(
                    &field(&path, "code"),
                    format!("position {code} is listed twice"),
                );
            }
        }
        let test = required(fields, &path, "test", p).and_then(|v| {
            let path = field(&path, "test");
            let test = string(v, &path, p).and_then(|s| Test::parse(&s));
            if test.is_none() {
                let names: Vec<&str> = Test::ALL.iter().map(|t| t.code()).collect();
                p.add(&path, format!("must be one of {}", names.join(", ")));
            }
            test
        });
        let maximum = match fields.get("maximum") {
            None => Some(100),
            Some(v) => integer(v, &field(&path, "maximum"), 1, 1000, p).map(|m| m as u16),
        };
        let weight = match fields.get("written_weight_percent") {
            None => Some(None),
            Some(v) => integer(v, &field(&path, "written_weight_percent"), 0, 100, p)
                .map(|w| Some(w as u8)),
        };
        let mut units: Vec<UnitInput> = Vec::new();
        let unit_list =
            required(fields, &path, "units", p).and_then(|v| array(v, &field(&path, "units"), p));
        if unit_list.is_some_and(Vec::is_empty) {
            p.add(&field(&path, "units"), "a position needs at least one unit");
        }
        for (j, value) in unit_list.into_iter().flatten().enumerate() {
            let path = format!("{path}.units[{j}]");
            let Some(fields) = object(value, &path, p) else {
                continue;
            };
            known_keys(fields, &path, &["code", "places"], p);
            let code = required(fields, &path, "code", p)
                .and_then(|v| code_text(v, &field(&path, "code"), p));
            let places = required(fields, &path, "places", p)
                .and_then(|v| integer(v, &field(&path, "places"), 0, 1_000_000, p));
            if let (Some(code), Some(places)) = (code, places) {
                if units.iter().any(|u| u.code == code) {
                    p.add(
                        &field(&path, "code"),
                        format!("unit {code} is listed twice"),
                    );
                }
                unit_index += 1;
                let id = made_up(1, unit_index);
                let places = places as u32;
                units.push(UnitInput { id, code, places });
            }
        }
        if let (Some(code), Some(test), Some(maximum), Some(written_weight_percent)) =
            (code, test, maximum, weight)
        {
            out.push(PositionInput {
                code,
                test,
                maximum,
                written_weight_percent,
                units,
            });
        }
    }
    out
}

fn candidates(
    top: &Map<String, Value>,
    positions: &[PositionInput],
    priority_points: &BTreeMap<String, Mark>,
    p: &mut Problems,
) -> Vec<CandidateInput> {
    let mut out: Vec<CandidateInput> = Vec::new();
    let mut numbers = BTreeSet::new();
    let list = required(top, "", "candidates", p).and_then(|v| array(v, "candidates", p));
    for (i, value) in list.into_iter().flatten().enumerate() {
        let path = format!("candidates[{i}]");
        let Some(fields) = object(value, &path, p) else {
            continue;
        };
        let keys = [
            "number",
            "position",
            "stage1_passed",
            "excluded",
            "scores",
            "penalty_percent",
            "priority",
            "preferences",
        ];
        known_keys(fields, &path, &keys, p);
        let number = required(fields, &path, "number", p)
            .and_then(|v| code_text(v, &field(&path, "number"), p));
        if let Some(number) = &number {
            if !numbers.insert(number.clone()) {
                p.add(
                    &field(&path, "number"),
                    format!("candidate {number} is listed twice"),
                );
            }
        }
        let position = required(fields, &path, "position", p).and_then(|v| {
            let path = field(&path, "position");
            let code = string(v, &path, p)?;
            let found = positions.iter().find(|o| o.code == code);
            if found.is_none() {
                p.add(&path, format!("no position {code} in positions"));
            }
            found
        });
        let stage1_passed = match fields.get("stage1_passed") {
            None | Some(Value::Null) => Some(None),
            Some(Value::Bool(b)) => Some(Some(*b)),
            Some(_) => {
                p.add(
                    &field(&path, "stage1_passed"),
                    "must be true, false or null",
                );
                None
            }
        };
        let excluded = match fields.get("excluded") {
            None => Some(false),
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => {
                p.add(&field(&path, "excluded"), "must be true or false");
                None
            }
        };
        let mut scores = BTreeMap::new();
        let mut penalty_percent = BTreeMap::new();
        if let Some(position) = position {
            for (name, value) in optional_entries(fields, &path, "scores", p) {
                let path = format!("{path}.scores.{name}");
                if let Some(part) = part_of(position, name, &path, p) {
                    if let Some(mark) = decimal(value, &path, position.maximum, p) {
                        scores.insert(part, mark);
                    }
                }
            }
            for (name, value) in optional_entries(fields, &path, "penalty_percent", p) {
                let path = format!("{path}.penalty_percent.{name}");
                if let Some(part) = part_of(position, name, &path, p) {
                    match value.as_u64() {
                        Some(percent @ (25 | 50)) => {
                            penalty_percent.insert(part, percent as u8);
                        }
                        _ => p.add(&path, "a penalty is 25 (reprimand) or 50 (warning)"),
                    }
                }
            }
        }
        let priority = strings(fields, &path, "priority", p);
        for (j, code) in priority.iter().enumerate() {
            if !priority_points.contains_key(code) {
                p.add(
                    &format!("{path}.priority[{j}]"),
                    format!("no category {code} in priority_points"),
                );
            }
        }
        let preferences = strings(fields, &path, "preferences", p);
        if let Some(position) = position {
            for (j, code) in preferences.iter().enumerate() {
                let path = format!("{path}.preferences[{j}]");
                if !position.units.iter().any(|u| &u.code == code) {
                    p.add(
                        &path,
                        format!("position {} has no unit {code}", position.code),
                    );
                } else if preferences[..j].contains(code) {
                    p.add(&path, format!("unit {code} is listed twice"));
                }
            }
        }
        if let (Some(number), Some(position), Some(stage1_passed), Some(excluded)) =
            (number, position, stage1_passed, excluded)
        {
            out.push(CandidateInput {
                id: made_up(2, i),
                number,
                position: position.code.clone(),
                stage1_passed,
                excluded,
                scores,
                penalty_percent,
                priority,
                preferences,
            });
        }
    }
    out
}

fn tie_decisions(
    top: &Map<String, Value>,
    positions: &[PositionInput],
    candidates: &[CandidateInput],
    p: &mut Problems,
) -> Vec<TieDecisionInput> {
    let mut out = Vec::new();
    let list = match top.get("tie_decisions") {
        None => None,
        Some(v) => array(v, "tie_decisions", p),
    };
    for (i, value) in list.into_iter().flatten().enumerate() {
        let path = format!("tie_decisions[{i}]");
        let Some(fields) = object(value, &path, p) else {
            continue;
        };
        known_keys(fields, &path, &["position", "order"], p);
        let position = required(fields, &path, "position", p).and_then(|v| {
            let path = field(&path, "position");
            let code = string(v, &path, p)?;
            let found = positions.iter().any(|o| o.code == code);
            if !found {
                p.add(&path, format!("no position {code} in positions"));
            }
            found.then_some(code)
        });
        let order = strings(fields, &path, "order", p);
        if order.len() < 2 {
            p.add(
                &field(&path, "order"),
                "a decision orders at least two candidates",
            );
        }
        for (j, number) in order.iter().enumerate() {
            let path = format!("{path}.order[{j}]");
            let candidate = candidates.iter().find(|c| &c.number == number);
            match (candidate, &position) {
                (None, _) => p.add(&path, format!("no candidate {number} in candidates")),
                (Some(c), Some(position)) if &c.position != position => p.add(
                    &path,
                    format!("candidate {number} is not in position {position}"),
                ),
                _ if order[..j].contains(number) => {
                    p.add(&path, format!("candidate {number} is listed twice"))
                }
                _ => {}
            }
        }
        if let Some(position) = position {
            let reference = made_up(3, i);
            out.push(TieDecisionInput {
                reference,
                position,
                order,
            });
        }
    }
    out
}

/// An object's entries by key: problems come out in the same order whatever order the
/// parser kept (serde_json keeps insertion order when another crate asks it to).
fn entries(fields: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<(&String, &Value)> = fields.iter().collect();
    entries.sort_by_key(|(key, _)| *key);
    entries
}

/// The entries of an object field that may be left out.
fn optional_entries<'v>(
    fields: &'v Map<String, Value>,
    path: &str,
    name: &str,
    p: &mut Problems,
) -> Vec<(&'v String, &'v Value)> {
    match fields.get(name) {
        None => Vec::new(),
        Some(v) => object(v, &field(path, name), p)
            .map(entries)
            .unwrap_or_default(),
    }
}

fn field(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

fn object<'v>(value: &'v Value, path: &str, p: &mut Problems) -> Option<&'v Map<String, Value>> {
    let found = value.as_object();
    if found.is_none() {
        p.add(path_or_top(path), "must be an object");
    }
    found
}

fn array<'v>(value: &'v Value, path: &str, p: &mut Problems) -> Option<&'v Vec<Value>> {
    let found = value.as_array();
    if found.is_none() {
        p.add(path, "must be a list");
    }
    found
}

fn path_or_top(path: &str) -> &str {
    if path.is_empty() {
        "(top)"
    } else {
        path
    }
}

fn required<'v>(
    fields: &'v Map<String, Value>,
    path: &str,
    name: &str,
    p: &mut Problems,
) -> Option<&'v Value> {
    let found = fields.get(name);
    if found.is_none() {
        p.add(&field(path, name), "is missing");
    }
    found
}

/// Unknown keys are refused: a misspelt `penalty_percent` must not silently mean no penalty.
fn known_keys(fields: &Map<String, Value>, path: &str, known: &[&str], p: &mut Problems) {
    for (key, _) in entries(fields) {
        if !known.contains(&key.as_str()) {
            p.add(
                &field(path, key),
                format!("unknown field; expected one of {}", known.join(", ")),
            );
        }
    }
}

fn string(value: &Value, path: &str, p: &mut Problems) -> Option<String> {
    let found = value.as_str().map(str::to_string);
    if found.is_none() {
        p.add(path, "must be a string");
    }
    found
}

/// A code or a candidate number: a string of 1 to 64 characters without surrounding spaces.
fn code_text(value: &Value, path: &str, p: &mut Problems) -> Option<String> {
    let text = string(value, path, p)?;
    let ok = !text.is_empty() && text.trim() == text && text.chars().count() <= 64;
    if !ok {
        p.add(path, "must be 1 to 64 characters, no spaces around");
    }
    ok.then_some(text)
}

fn strings(fields: &Map<String, Value>, path: &str, name: &str, p: &mut Problems) -> Vec<String> {
    let path = field(path, name);
    let Some(list) = fields.get(name).and_then(|v| array(v, &path, p)) else {
        return Vec::new();
    };
    (list.iter().enumerate())
        .filter_map(|(j, v)| string(v, &format!("{path}[{j}]"), p))
        .collect()
}

fn integer(value: &Value, path: &str, min: u64, max: u64, p: &mut Problems) -> Option<u64> {
    let found = value.as_u64().filter(|n| (min..=max).contains(n));
    if found.is_none() {
        p.add(path, format!("must be a whole number from {min} to {max}"));
    }
    found
}

/// A score or points as a decimal string with at most two decimals, from 0 to `max`.
fn decimal(value: &Value, path: &str, max: u16, p: &mut Problems) -> Option<Mark> {
    let Some(text) = value.as_str() else {
        p.add(
            path,
            "must be a decimal number in a string, such as \"62.25\"",
        );
        return None;
    };
    let scale = Scale {
        max,
        step_hundredths: 1,
    };
    let plain = text.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    match Mark::parse(text, scale) {
        Ok(mark) if plain => Some(mark),
        _ => {
            p.add(
                path,
                format!(
                    "must be a number from 0 to {max} with at most two decimals, such as \"62.25\""
                ),
            );
            None
        }
    }
}

fn part_of(position: &PositionInput, name: &str, path: &str, p: &mut Problems) -> Option<Part> {
    let part = Part::parse(name).filter(|part| position.test.parts().contains(part));
    if part.is_none() {
        let parts: Vec<&str> = position.test.parts().iter().map(|p| p.code()).collect();
        let test = position.test.code();
        p.add(
            path,
            format!("a {test} test has only: {}", parts.join(", ")),
        );
    }
    part
}

fn text(mark: Mark) -> String {
    mark.display('.')
}

/// The input in its file format (the portal's ids are not part of it).
pub fn to_json(input: &RoundInput) -> Value {
    let positions: Vec<Value> = (input.positions.iter())
        .map(|o| {
            let units: Vec<Value> = (o.units.iter())
                .map(|u| json!({"code": u.code, "places": u.places}))
                .collect();
            let mut position = json!({"code": o.code, "test": o.test.code(), "units": units});
            if o.maximum != 100 {
                position["maximum"] = json!(o.maximum);
            }
            if let Some(weight) = o.written_weight_percent {
                position["written_weight_percent"] = json!(weight);
            }
            position
        })
        .collect();
    let candidates: Vec<Value> = (input.candidates.iter())
        .map(|c| {
            let scores: Map<String, Value> = (c.scores.iter())
                .map(|(part, mark)| (part.code().to_string(), json!(text(*mark))))
                .collect();
            let mut candidate = json!({
                "number": c.number,
                "position": c.position,
                "stage1_passed": c.stage1_passed,
                "excluded": c.excluded,
                "scores": scores,
                "priority": c.priority,
                "preferences": c.preferences,
            });
            if !c.penalty_percent.is_empty() {
                let penalties: Map<String, Value> = (c.penalty_percent.iter())
                    .map(|(part, percent)| (part.code().to_string(), json!(percent)))
                    .collect();
                candidate["penalty_percent"] = Value::Object(penalties);
            }
            candidate
        })
        .collect();
    let decisions: Vec<Value> = (input.tie_decisions.iter())
        .map(|d| json!({"position": d.position, "order": d.order}))
        .collect();
    let points: Map<String, Value> = (input.priority_points.iter())
        .map(|(code, points)| (code.clone(), json!(text(*points))))
        .collect();
    json!({
        "pass_mark": text(input.pass_mark),
        "written_weight_percent": input.written_weight_percent,
        "priority_points": points,
        "positions": positions,
        "candidates": candidates,
        "tie_decisions": decisions,
    })
}

fn reason_code(reason: NotSelectedReason) -> &'static str {
    match reason {
        NotSelectedReason::Excluded => "excluded",
        NotSelectedReason::Stage1NotPassed => "stage1_failed",
        NotSelectedReason::Absent => "absent",
        NotSelectedReason::PartBelowHalf => "part_below_half",
        NotSelectedReason::BelowPassMark => "below_pass_mark",
        NotSelectedReason::NoOfferedUnit => "no_preference",
        // Reported in `undecided`, never here.
        NotSelectedReason::UndecidedTie => "undecided_tie",
    }
}

/// The ranking in the output format of `server rank`.
pub fn output(ranked: &[RankedPosition]) -> Value {
    let positions: Vec<Value> = ranked.iter().map(position_output).collect();
    json!({ "positions": positions })
}

fn position_output(position: &RankedPosition) -> Value {
    let number = |id: &Uuid| position.numbers.get(id).cloned().unwrap_or_default();
    let unit = |id: &Uuid| position.units.get(id).cloned().unwrap_or_default();
    let ranking = &position.ranking;
    let total = |id: &Uuid| (ranking.explanation(*id)).and_then(|e| e.total).map(text);
    let selected: Vec<Value> = (ranking.selected.iter())
        .map(|s| {
            json!({"number": number(&s.candidate), "unit": unit(&s.unit), "rank": s.rank,
                   "total": total(&s.candidate)})
        })
        .collect();
    let reserve: Vec<Value> = (ranking.reserve.iter())
        .map(|r| json!({"number": number(&r.candidate), "rank": r.rank, "total": total(&r.candidate)}))
        .collect();
    let mut undecided: Vec<Vec<String>> = Vec::new();
    for tie in &ranking.ties_needing_decision {
        let group: Vec<String> = tie.candidates.iter().map(number).collect();
        if !undecided.contains(&group) {
            undecided.push(group);
        }
    }
    let not_eligible: Vec<Value> = (ranking.explanations.iter())
        .filter_map(|e| match e.outcome {
            Outcome::NotSelected(reason) if reason != NotSelectedReason::UndecidedTie => {
                Some(json!({"number": number(&e.candidate), "reason": reason_code(reason)}))
            }
            _ => None,
        })
        .collect();
    json!({
        "code": position.code,
        "selected": selected,
        "reserve": reserve,
        "undecided": undecided,
        "not_eligible": not_eligible,
    })
}

#[cfg(test)]
#[path = "round_ranking_tests.rs"]
mod tests;
