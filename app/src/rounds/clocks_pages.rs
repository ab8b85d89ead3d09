//! HR's view of a round's legal clocks: every deadline, what was done when, the days left, and
//! a warning before one passes.

use crate::components::failure_view;
use crate::i18n::{use_lang, Lang, Msg};
use crate::rounds::api::round_clocks;
use crate::rounds::clocks::{Clock, ClockState};
use crate::rounds::types::format_datetime_vn;
use leptos::prelude::*;
use uuid::Uuid;

fn state_text(lang: Lang, state: ClockState) -> String {
    let days = |n: i64| format!("{n} {}", lang.t(Msg::ClockDays));
    match state {
        ClockState::NotYet => lang.t(Msg::ClockNotYet).to_string(),
        ClockState::Met => lang.t(Msg::ClockMet).to_string(),
        ClockState::Late { days: n } => format!("{} {}", lang.t(Msg::ClockLate), days(n)),
        ClockState::Left { days: 0 } => lang.t(Msg::ClockToday).to_string(),
        ClockState::Left { days: n } => format!("{} {}", lang.t(Msg::ClockLeft), days(n)),
        ClockState::Overdue { days: n } => format!("{} {}", lang.t(Msg::ClockOverdue), days(n)),
    }
}

/// On HR's round page, below the round: its own resource, outside the round's Suspend.
#[component]
pub fn RoundClocks(round_id: Uuid) -> impl IntoView {
    let clocks = Resource::new(move || round_id, round_clocks);
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match clocks.await {
                    Ok(clocks) => view! { <ClockTable clocks /> }.into_any(),
                    Err(err) => failure_view(err),
                }
            })}
        </Transition>
    }
}

#[component]
fn ClockTable(clocks: Vec<Clock>) -> impl IntoView {
    let lang = use_lang();
    let warnings = clocks.iter().filter(|c| c.state.warns()).count();
    view! {
        <section class="panel" data-testid="clocks">
            <h2>{lang.t(Msg::ClocksTitle)}</h2>
            <p class="hint">{lang.t(Msg::ClocksIntro)}</p>
            {(warnings > 0).then(|| view! {
                <p class="notice notice-warning" role="alert" data-testid="clock-warning">
                    {clocks.iter().filter(|c| c.state.warns()).map(|c| format!("{}: {}", lang.t(c.step.msg()), state_text(lang, c.state))).collect::<Vec<_>>().join(" · ")}
                </p>
            })}
            <div class="table-wrap">
                <table class="data-table">
                    <thead><tr>
                        <th scope="col">{lang.t(Msg::ColStep)}</th>
                        <th scope="col">{lang.t(Msg::ClockDue)}</th>
                        <th scope="col">{lang.t(Msg::ClockDone)}</th>
                        <th scope="col">{lang.t(Msg::ColStatus)}</th>
                    </tr></thead>
                    <tbody>
                        {clocks.into_iter().map(|c| {
                            let warn = c.state.warns();
                            view! {
                                <tr data-step=format!("{:?}", c.step)>
                                    <td>{lang.t(c.step.msg())}</td>
                                    <td>{c.due.map(format_datetime_vn)}</td>
                                    <td>{c.done.map(format_datetime_vn)}</td>
                                    <td data-testid="clock-state">
                                        <span class=if warn { "tag tag-warning" } else { "tag" }>{state_text(lang, c.state)}</span>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
