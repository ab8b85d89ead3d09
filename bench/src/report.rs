//! One line per benchmark: the portal's figure, the baseline measured in the same run, their
//! ratio and the budget; printed as a table and written as JSON.

use serde::Serialize;

/// Which way the ratio must go to meet the budget.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Budget {
    /// figure / baseline must be at least this.
    AtLeast(f64),
    /// figure / baseline must be at most this.
    AtMost(f64),
}

#[derive(Debug, Serialize)]
pub struct Line {
    pub benchmark: String,
    /// What the portal did, e.g. "1,234 submissions/s".
    pub figure: f64,
    pub baseline: f64,
    pub unit: String,
    /// What the baseline is.
    pub baseline_is: String,
    pub ratio: f64,
    pub budget: Budget,
    pub met: bool,
    /// Anything else measured on the way (latencies, counts, checks).
    pub notes: String,
}

impl Line {
    pub fn new(
        benchmark: &str,
        figure: f64,
        baseline: f64,
        unit: &str,
        baseline_is: &str,
        budget: Budget,
        notes: String,
    ) -> Line {
        let ratio = if baseline == 0.0 {
            f64::INFINITY
        } else {
            figure / baseline
        };
        let met = match budget {
            Budget::AtLeast(min) => ratio >= min,
            Budget::AtMost(max) => ratio <= max,
        };
        Line {
            benchmark: benchmark.to_string(),
            figure,
            baseline,
            unit: unit.to_string(),
            baseline_is: baseline_is.to_string(),
            ratio,
            budget,
            met,
            notes,
        }
    }
}

fn number(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// The table, in Markdown (the README quotes it as is).
pub fn table(lines: &[Line]) -> String {
    let mut out = String::from(
        "| # | benchmark | portal | baseline (same run) | ratio | budget | met |\n\
         | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for (i, line) in lines.iter().enumerate() {
        let budget = match line.budget {
            Budget::AtLeast(min) => format!("≥ {min}×"),
            Budget::AtMost(max) => format!("≤ {max}×"),
        };
        out.push_str(&format!(
            "| {} | {} | {} {} | {} {} ({}) | {}× | {} | {} |\n",
            i + 1,
            line.benchmark,
            number(line.figure),
            line.unit,
            number(line.baseline),
            line.unit,
            line.baseline_is,
            number(line.ratio),
            budget,
            if line.met { "yes" } else { "**no**" },
        ));
    }
    out.push('\n');
    for (i, line) in lines.iter().enumerate() {
        if !line.notes.is_empty() {
            out.push_str(&format!("{}. {}: {}\n", i + 1, line.benchmark, line.notes));
        }
    }
    out
}
