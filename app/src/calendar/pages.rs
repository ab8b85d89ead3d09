//! The administrator's calendar page: the holidays and working weekend days every
//! working-day clock counts with, by year, and the form that records one.

use crate::accounts::types::Role;
use crate::calendar::api::{calendar_days, RemoveCalendarDay, SaveCalendarDay};
use crate::calendar::{CalendarDay, DayKind};
use crate::components::{
    count_successes, ErrorPanel, ErrorSummary, Protected, SelectField, TextField,
};
use crate::i18n::{use_lang, Lang, Msg};
use crate::rounds::types::format_date_vn;
use leptos::prelude::*;
use leptos_meta::Title;

fn weekday(lang: Lang, date: time::Date) -> &'static str {
    use time::Weekday::*;
    let (vi, en) = match date.weekday() {
        Monday => ("Thứ Hai", "Monday"),
        Tuesday => ("Thứ Ba", "Tuesday"),
        Wednesday => ("Thứ Tư", "Wednesday"),
        Thursday => ("Thứ Năm", "Thursday"),
        Friday => ("Thứ Sáu", "Friday"),
        Saturday => ("Thứ Bảy", "Saturday"),
        Sunday => ("Chủ nhật", "Sunday"),
    };
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

fn kind_msg(kind: DayKind) -> Msg {
    match kind {
        DayKind::Holiday => Msg::CalendarKindHoliday,
        DayKind::WorkingDay => Msg::CalendarKindWorking,
    }
}

#[component]
pub fn CalendarPage() -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SaveCalendarDay>::new();
    let remove = ServerAction::<RemoveCalendarDay>::new();
    let changed = RwSignal::new(0usize);
    count_successes(changed, save);
    count_successes(changed, remove);
    let days = Resource::new(move || changed.get(), |_| calendar_days());
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let remove_error = move || remove.value().get().and_then(Result::err);
    let kinds = move || {
        DayKind::ALL
            .into_iter()
            .map(|k| (k.as_str().to_string(), lang.t(kind_msg(k)).to_string()))
            .collect::<Vec<_>>()
    };

    view! {
        <Protected roles=&[Role::Administrator]>
            <Title text=lang.t(Msg::CalendarTitle) />
            <h1>{lang.t(Msg::CalendarTitle)}</h1>
            <p>{lang.t(Msg::CalendarIntro)}</p>

            <section class="panel">
                <h2>{lang.t(Msg::CalendarAddTitle)}</h2>
                {move || (save.version().get() > 0 && error.get().is_none() && !save.pending().get())
                    .then(|| view! { <p class="success" role="status" data-testid="calendar-saved">{lang.t(Msg::CalendarSaved)}</p> })}
                <ErrorSummary error />
                <ActionForm action=save attr:novalidate=true attr:class="form">
                    <TextField name="date" label=Msg::CalendarDate hint=Msg::CalendarDateHint error />
                    <SelectField name="kind" label=Msg::CalendarKind options=kinds() error />
                    <TextField name="name" label=Msg::CalendarName error />
                    <button type="submit" class="button">{lang.t(Msg::CalendarSave)}</button>
                </ActionForm>
            </section>

            <section>
                <h2>{lang.t(Msg::CalendarListTitle)}</h2>
                {move || remove_error().map(|err| view! { <ErrorPanel error=err /> })}
                <Transition fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                    {move || Suspend::new(async move {
                        match days.await {
                            Ok(days) => calendar_table(lang, days, remove).into_any(),
                            Err(err) => view! { <ErrorPanel error=err /> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
        </Protected>
    }
}

fn calendar_table(
    lang: Lang,
    days: Vec<CalendarDay>,
    remove: ServerAction<RemoveCalendarDay>,
) -> impl IntoView {
    if days.is_empty() {
        return view! { <p>{lang.t(Msg::CalendarEmpty)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data-table" data-testid="calendar-table">
                <thead>
                    <tr>
                        <th scope="col">{lang.t(Msg::CalendarDate)}</th>
                        <th scope="col">{lang.t(Msg::CalendarWeekday)}</th>
                        <th scope="col">{lang.t(Msg::CalendarKind)}</th>
                        <th scope="col">{lang.t(Msg::CalendarName)}</th>
                        <th scope="col"><span class="visually-hidden">{lang.t(Msg::CalendarRemove)}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {days.into_iter().map(|d| {
                        let shown = format_date_vn(d.date);
                        view! {
                            <tr data-day=d.date.to_string()>
                                <td>{shown.clone()}</td>
                                <td>{weekday(lang, d.date)}</td>
                                <td>{lang.t(kind_msg(d.kind))}</td>
                                <td>{d.name}</td>
                                <td>
                                    <ActionForm action=remove attr:class="inline-form">
                                        <input type="hidden" name="date" value=d.date.to_string() />
                                        <button type="submit" class="button button-secondary"
                                            aria-label=format!("{} {shown}", lang.t(Msg::CalendarRemove))>
                                            {lang.t(Msg::CalendarRemove)}
                                        </button>
                                    </ActionForm>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
