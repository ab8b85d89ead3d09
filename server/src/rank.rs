//! `server rank`: recomputes a ranking with the function the portal computes its results with
//! (`app::results::round_ranking`), from an input file or from a published result file, so
//! that anyone can check a published result. No database, no network.

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

use app::results::round_ranking::rank_round;
use app::results::round_ranking_json::{output, parse, Problem, Problems};
use serde_json::Value;

/// A file larger than this is refused before it is read: a province's round is a few MB.
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// What went wrong, and the exit status that says so.
enum Failure {
    /// The file cannot be read as an input (status 2).
    Unreadable(Problems),
    /// A snapshot whose stored ranking differs from the recomputed one (status 1).
    Differs(Vec<String>),
}

pub fn run(input: Option<&Path>, verify: Option<&Path>) -> ExitCode {
    let result = match (input, verify) {
        (Some(path), _) => rank(path).map(|ranking| print_json(&ranking)),
        (None, Some(path)) => verify_snapshot(path).map(|ranking| {
            let positions = ranking["positions"].as_array().map_or(0, Vec::len);
            println!("matches: the ranking recomputed from the snapshot's inputs is the one it publishes ({positions} positions)");
        }),
        (None, None) => Err(one("", "give --input FILE.json or --verify SNAPSHOT")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Unreadable(problems)) => {
            let mut err = std::io::stderr().lock();
            for p in &problems.listed {
                let path = if p.path.is_empty() { "(file)" } else { &p.path };
                let _ = writeln!(err, "{path}: {}", p.reason);
            }
            if problems.total > problems.listed.len() {
                let more = problems.total - problems.listed.len();
                let _ = writeln!(
                    err,
                    "… and {more} more problems ({} in all)",
                    problems.total
                );
            }
            ExitCode::from(2)
        }
        Err(Failure::Differs(differences)) => {
            println!("does not match: the ranking recomputed from the snapshot's inputs differs from the one it publishes");
            for d in differences {
                println!("  {d}");
            }
            ExitCode::from(1)
        }
    }
}

fn one(path: &str, reason: impl Into<String>) -> Failure {
    let problem = Problem {
        path: path.to_string(),
        reason: reason.into(),
    };
    Failure::Unreadable(Problems {
        listed: vec![problem],
        total: 1,
    })
}

fn print_json(value: &Value) {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    println!("{text}");
}

fn read_json(path: &Path) -> Result<Value, Failure> {
    let file = std::fs::File::open(path)
        .map_err(|e| one("", format!("cannot open {}: {e}", path.display())))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| one("", format!("cannot read {}: {e}", path.display())))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(one("", format!("larger than {} MB", MAX_FILE_BYTES >> 20)));
    }
    serde_json::from_slice(&bytes).map_err(|e| one("", format!("not JSON: {e}")))
}

fn rank(path: &Path) -> Result<Value, Failure> {
    let value = read_json(path)?;
    let input = parse(&value).map_err(Failure::Unreadable)?;
    Ok(output(&rank_round(&input)))
}

/// Recomputes a published result file (format 3 or later) from the inputs it carries.
fn verify_snapshot(path: &Path) -> Result<Value, Failure> {
    let snapshot = read_json(path)?;
    let (Some(input), Some(published)) = (snapshot.get("ranking_input"), snapshot.get("ranking"))
    else {
        let format = snapshot["format"].as_str().unwrap_or("unknown");
        return Err(one(
            "ranking_input",
            format!("this result file (format {format}) does not carry its ranking inputs; results published from December 2026 on do"),
        ));
    };
    let input = parse(input).map_err(|mut problems| {
        for p in &mut problems.listed {
            p.path = format!("ranking_input.{}", p.path);
        }
        Failure::Unreadable(problems)
    })?;
    let recomputed = output(&rank_round(&input));
    if &recomputed == published {
        Ok(recomputed)
    } else {
        Err(Failure::Differs(differences(published, &recomputed)))
    }
}

/// Which positions differ, and how, in a few words each.
fn differences(published: &Value, recomputed: &Value) -> Vec<String> {
    let list = |v: &Value| v["positions"].as_array().cloned().unwrap_or_default();
    let (published, recomputed) = (list(published), list(recomputed));
    let mut out = Vec::new();
    for position in &recomputed {
        let code = position["code"].as_str().unwrap_or_default();
        match published.iter().find(|p| p["code"] == position["code"]) {
            None => out.push(format!("position {code}: not in the published ranking")),
            Some(p) => {
                for key in ["selected", "reserve", "undecided", "not_eligible"] {
                    if p[key] != position[key] {
                        out.push(format!(
                            "position {code}, {key}: published {}, recomputed {}",
                            p[key], position[key]
                        ));
                    }
                }
            }
        }
    }
    for p in &published {
        if !recomputed.iter().any(|r| r["code"] == p["code"]) {
            let code = p["code"].as_str().unwrap_or_default();
            out.push(format!("position {code}: published but not in the inputs"));
        }
    }
    out
}
