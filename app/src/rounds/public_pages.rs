//! Public pages: the list of rounds and a round's notice. Server-rendered, readable without
//! JavaScript, shareable by URL.

use crate::components::{by_id, failure_view, use_id_param, ErrorPanel};
use crate::i18n::{fmt, use_lang, Lang, Msg};
use crate::rounds::api::{get_round_notice, public_rounds};
use crate::rounds::positions::Stage2Format;
use crate::rounds::rules::{format_dong, format_points, RuleParams, TieBreak};
use crate::rounds::types::*;
use leptos::prelude::*;
use leptos_meta::Title;
use time::OffsetDateTime;

/// A position's method and tests as the notice states them: under a rule set that derives
/// tests by rank, "Thi tuyển · Chuyên viên", then stage 1 and stage 2; otherwise stage 2 only.
fn tests_text(lang: Lang, p: &PositionView) -> Vec<String> {
    let reserved = p
        .ethnic_minority_only
        .then(|| lang.t(Msg::EthnicMinorityOnly).to_string());
    let Some(plan) = p.plan else {
        return reserved
            .into_iter()
            .chain([stage2_text(lang, p.stage2)])
            .collect();
    };
    let mut lines: Vec<String> = reserved.into_iter().collect();
    lines.push(format!(
        "{} · {}",
        lang.t(plan.method.msg()),
        lang.t(plan.rank.msg())
    ));
    if let Some(group) = plan.method.group() {
        lines.push(lang.t(group.msg()).to_string());
    }
    lines.push(lang.t(p.stage1.msg()).to_string());
    lines.push(format!(
        "{}: {}",
        lang.t(Msg::ColStage2),
        stage2_text(lang, p.stage2)
    ));
    lines
}

pub fn stage2_text(lang: Lang, format: Stage2Format) -> String {
    match format {
        Stage2Format::Combined { written_percent } => fmt::combined(lang, written_percent),
        other => lang.t(other.msg()).to_string(),
    }
}

/// "Còn 3 ngày 4 giờ" / "Applications are closed" / "Applications open on …".
pub fn deadline_text(lang: Lang, round: &RoundSummary, now: OffsetDateTime) -> String {
    if now < round.opens_at {
        return format!(
            "{} {}",
            lang.t(Msg::NotYetOpen),
            format_datetime_vn(round.opens_at)
        );
    }
    match time_left(now, round.closes_at) {
        Some((days, hours, minutes))
            if round.status == crate::rounds::status::RoundStatus::Open =>
        {
            if days > 0 {
                format!(
                    "{} {days} {} {hours} {}",
                    lang.t(Msg::TimeLeft),
                    lang.t(Msg::Days),
                    lang.t(Msg::Hours)
                )
            } else {
                format!(
                    "{} {hours} {} {minutes} {}",
                    lang.t(Msg::TimeLeft),
                    lang.t(Msg::Hours),
                    lang.t(Msg::Minutes)
                )
            }
        }
        _ => lang.t(Msg::ApplicationsClosed).to_string(),
    }
}

#[component]
pub fn RoundsPage() -> impl IntoView {
    let lang = use_lang();
    let list = Resource::new(|| (), |_| public_rounds());
    view! {
        <Title text=lang.t(Msg::RoundsTitle) />
        <h1>{lang.t(Msg::RoundsTitle)}</h1>
        <Suspense fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(RoundList { rounds, now }) => {
                        let (open, others): (Vec<_>, Vec<_>) =
                            rounds.into_iter().partition(|r| r.accepting_at(now));
                        view! {
                            <h2>{lang.t(Msg::RoundsOpenNow)}</h2>
                            {if open.is_empty() {
                                view! { <p>{lang.t(Msg::RoundsNoneOpen)}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="cards" data-testid="open-rounds">
                                        {open.into_iter().map(|r| view! { <RoundCard round=r now /> }).collect_view()}
                                    </div>
                                }.into_any()
                            }}
                            {(!others.is_empty()).then(|| view! {
                                <h2>{lang.t(Msg::RoundsRecent)}</h2>
                                <div class="table-wrap">
                                    <table class="data-table">
                                        <thead><tr>
                                            <th scope="col">{lang.t(Msg::ColRoundName)}</th>
                                            <th scope="col">{lang.t(Msg::RoundAuthority)}</th>
                                            <th scope="col">{lang.t(Msg::RoundWindow)}</th>
                                            <th scope="col">{lang.t(Msg::ColStatus)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {others.into_iter().map(|r| view! {
                                                <tr>
                                                    <td><a href=format!("/rounds/{}", r.id)>{r.name}</a></td>
                                                    <td>{r.authority}</td>
                                                    <td>{format_datetime_vn(r.opens_at)} " – " {format_datetime_vn(r.closes_at)}</td>
                                                    <td>{lang.t(r.status.msg())}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            })}
                        }.into_any()
                    }
                    Err(err) => view! { <ErrorPanel error=err /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RoundCard(round: RoundSummary, now: OffsetDateTime) -> impl IntoView {
    let lang = use_lang();
    let deadline = deadline_text(lang, &round, now);
    view! {
        <section class="card round-card">
            <h3><a href=format!("/rounds/{}", round.id)>{round.name.clone()}</a></h3>
            <dl class="facts">
                <div><dt>{lang.t(Msg::RoundAuthority)}</dt><dd>{round.authority.clone()}</dd></div>
                <div><dt>{lang.t(Msg::RoundWindow)}</dt><dd>{format_datetime_vn(round.opens_at)} " – " {format_datetime_vn(round.closes_at)}</dd></div>
                <div><dt>{lang.t(Msg::RoundPositions)}</dt><dd>{round.position_count}</dd></div>
                <div><dt>{lang.t(Msg::RoundQuota)}</dt><dd>{round.total_quota}</dd></div>
                <div><dt>{lang.t(Msg::RoundApplications)}</dt><dd>{round.applications}</dd></div>
            </dl>
            <p class="deadline"><strong>{deadline}</strong></p>
            <p><a class="button" href=format!("/rounds/{}", round.id)>{lang.t(Msg::ViewNotice)}</a></p>
        </section>
    }
}

#[component]
pub fn RoundNoticePage() -> impl IntoView {
    let lang = use_lang();
    let id = use_id_param();
    let notice = Resource::new(move || id.get(), |id| by_id(id, get_round_notice));
    view! {
        <Suspense fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match notice.await {
                    Ok(notice) => view! { <Notice notice /> }.into_any(),
                    Err(err) => failure_view(err),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Notice(notice: RoundNotice) -> impl IntoView {
    let lang = use_lang();
    let RoundNotice {
        round,
        notice: text,
        stage1_foreign_language,
        rule_set,
        positions,
        now,
        change,
    } = notice;
    let deadline = deadline_text(lang, &round, now);
    view! {
        <Title text=round.name.clone() />
        <p><a href="/rounds">{lang.t(Msg::BackToRounds)}</a></p>
        <p class="tag">{lang.t(round.status.msg())}</p>
        <h1>{round.name.clone()}</h1>
        {matches!(round.status, crate::rounds::status::RoundStatus::Published | crate::rounds::status::RoundStatus::Finalised).then(|| view! {
            <p><a class="button" href=format!("/results/{}", round.id) data-testid="public-results-link">{lang.t(Msg::ResultsPublicLink)}</a></p>
        })}
        <dl class="facts">
            <div><dt>{lang.t(Msg::RoundAuthority)}</dt><dd>{round.authority.clone()}</dd></div>
            <div><dt>{lang.t(Msg::RoundWindow)}</dt><dd>{format_datetime_vn(round.opens_at)} " – " {format_datetime_vn(round.closes_at)}</dd></div>
            <div><dt>{lang.t(Msg::DeadlineHeading)}</dt><dd data-testid="deadline"><strong>{deadline}</strong></dd></div>
            <div><dt>{lang.t(Msg::RoundApplications)}</dt><dd>{round.applications}</dd></div>
        </dl>

        <h2>{lang.t(Msg::NoticeHeading)}</h2>
        {change.map(|c| view! {
            <p class="notice" data-testid="notice-changed">
                {lang.t(Msg::NoticeChangedLine)} " " {format_datetime_vn(c.changed_at)} " "
                {lang.t(Msg::NoticeChangedBy)} " " {c.document_ref} " (" {c.decided_on} ") – " {c.decided_by}
            </p>
        })}
        <div class="notice-text">{text}</div>

        <h2>{lang.t(Msg::PositionsHeading)}</h2>
        <PositionsTable positions />
        <p class="hint">{lang.t(Msg::RatioNote)}</p>

        <h2>{lang.t(Msg::ConditionsHeading)}</h2>
        <ul>
            <li>{lang.t(Msg::ConditionNationality)}</li>
            <li>{fmt::age_condition(lang, rule_set.params.minimum_age)}</li>
            <li>{lang.t(Msg::ConditionHealth)}</li>
            <li>{lang.t(Msg::ConditionRequirements)}</li>
        </ul>
        <p>{lang.t(Msg::ConditionExcluded)}</p>

        <RuleSetDetails params=rule_set.params.clone() foreign_language=stage1_foreign_language />
        <p class="hint">{lang.t(Msg::LegalBasis)} ": " {rule_set.summary.legal_basis.clone()}</p>
    }
}

/// The positions of a round with quotas, requirements, live application counts and ratios.
#[component]
pub fn PositionsTable(positions: Vec<PositionView>) -> impl IntoView {
    let lang = use_lang();
    let shared = positions.iter().any(|p| p.units.len() > 1);
    let by_rank = positions.iter().any(|p| p.plan.is_some());
    view! {
        <div class="table-wrap">
            <table class="data-table" data-testid="positions-table">
                <thead><tr>
                    <th scope="col">{lang.t(Msg::ColCode)}</th>
                    <th scope="col">{lang.t(Msg::ColPosition)}</th>
                    <th scope="col">{lang.t(Msg::ColUnit)}</th>
                    <th scope="col" class="num">{lang.t(Msg::ColQuota)}</th>
                    <th scope="col">{lang.t(Msg::ColDegree)}</th>
                    <th scope="col">{lang.t(Msg::ColMajors)}</th>
                    <th scope="col">{lang.t(if by_rank { Msg::NoticeMethodTests } else { Msg::ColStage2 })}</th>
                    <th scope="col" class="num">{lang.t(Msg::ColApplications)}</th>
                    <th scope="col" class="num">{lang.t(Msg::ColRatio)}</th>
                </tr></thead>
                <tbody>
                    {positions.into_iter().map(|p| {
                        let quota = p.quota();
                        let units = p.units.iter().map(|u| {
                            if p.units.len() > 1 { format!("{} ({})", u.unit_name, u.quota) } else { u.unit_name.clone() }
                        }).collect::<Vec<_>>().join("; ");
                        let majors = if p.majors.is_empty() { lang.t(Msg::AnyMajor).to_string() } else { p.majors.join("; ") };
                        view! {
                            <tr data-code=p.code.clone()>
                                <td>{p.code.clone()}</td>
                                <td>
                                    {p.title.clone()}
                                    {(!p.other_conditions.is_empty()).then(|| view! { <br /><small>{p.other_conditions.clone()}</small> })}
                                </td>
                                <td>{units}</td>
                                <td class="num" data-testid="quota">{quota}</td>
                                <td>{lang.t(p.min_degree.msg())}</td>
                                <td>{majors}</td>
                                <td data-testid="tests">
                                    {tests_text(lang, &p).into_iter().enumerate().map(|(i, line)| view! {
                                        {(i > 0).then(|| view! { <br /> })}
                                        {line}
                                    }).collect_view()}
                                </td>
                                <td class="num">{p.applications}</td>
                                <td class="num">{fmt::ratio(lang, p.applications, quota)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {shared.then(|| view! { <p class="hint">{lang.t(Msg::SharedPositionNote)}</p> })}
    }
}

/// The rules a round runs under, in plain words.
#[component]
pub fn RuleSetDetails(params: RuleParams, foreign_language: bool) -> impl IntoView {
    let lang = use_lang();
    let tiers = params.fee_tiers.clone();
    let tie = params
        .tie_break
        .iter()
        .map(|t| match t {
            TieBreak::HigherStage2Score => lang.t(Msg::TieHigherStage2),
            TieBreak::HigherWrittenScore => lang.t(Msg::TieHigherWritten),
            TieBreak::AuthorityDecision => lang.t(Msg::TieAuthority),
        })
        .collect::<Vec<_>>()
        .join(" → ");
    view! {
        <h2>{lang.t(Msg::ExamHeading)}</h2>
        <ul>
            <li>{fmt::stage1(lang, params.stage1_questions, params.stage1_minutes, params.stage1_pass_percent, foreign_language)}</li>
            <li>{fmt::stage2(lang, params.stage2_pass_mark)}</li>
            <li>{lang.t(Msg::RuleTieBreakHeading)} ": " {tie}</li>
            <li>{lang.t(Msg::RuleDoubleMarking)} ": " {match params.circular_22_marking {
                Some(_) => fmt::marking_rule(lang, params.marking_rule()),
                None => fmt::percent(params.double_marking_tolerance_percent),
            }}</li>
            <li>{lang.t(Msg::RuleMarkStepLine)} ": " {crate::scoring::marks::Mark::from_hundredths(u32::from(params.mark_step_hundredths)).display(if lang == crate::i18n::Lang::Vi { ',' } else { '.' })}</li>
            <li>{lang.t(Msg::RuleAppeals)} ": " {fmt::appeals(lang, params.appeal_filing_working_days, params.appeal_answer_days)}
                " " {lang.t(Msg::AppealFee)} ": " {crate::rounds::rules::format_dong(u64::from(params.appeal_fee_dong))}</li>
        </ul>
        <h2>{lang.t(Msg::PriorityHeading)}</h2>
        <ul>
            {params.priority_categories.into_iter().map(|c| view! {
                <li><strong>{format_points(c.points_tenths)}</strong> " — " {c.name}</li>
            }).collect_view()}
        </ul>
        <h2>{lang.t(Msg::FeeHeading)}</h2>
        <ul>
            {tiers.iter().enumerate().map(|(i, t)| {
                let until = tiers.get(i + 1).map(|n| n.from_candidates);
                view! { <li>{fmt::fee_tier(lang, t.from_candidates, until, &format_dong(t.fee_dong))}</li> }
            }).collect_view()}
        </ul>
    }
}
