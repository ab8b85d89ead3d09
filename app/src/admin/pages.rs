//! The administrator's account list and the staff-account form.

use crate::accounts::types::Role;
use crate::admin::api::{list_users, CreateStaffAccount};
use crate::components::{ErrorPanel, ErrorSummary, Protected, TextField};
use crate::i18n::{use_lang, Msg};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let lang = use_lang();
    let create = ServerAction::<CreateStaffAccount>::new();
    let users = Resource::new(move || create.version().get(), |_| list_users());
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    let created = move || create.value().get().and_then(Result::ok);
    let role_error = move || error.get().and_then(|e| e.for_field("roles"));

    // Resources and actions live outside the role gate, so that the gate re-checking
    // the user never drops a fetch in flight; the server functions check roles anyway.
    view! {
        <Protected roles=&[Role::Administrator]>
            <Title text=lang.t(Msg::AdminUsersTitle) />
            <h1>{lang.t(Msg::AdminUsersTitle)}</h1>
            <p>
                <a href="/admin/outbox">{lang.t(Msg::OutboxTitle)}</a> " · "
                <a href="/admin/calendar">{lang.t(Msg::CalendarTitle)}</a>
            </p>
            <p>{lang.t(Msg::AdminUsersIntro)}</p>

            <section class="panel">
                <h2>{lang.t(Msg::CreateStaffTitle)}</h2>
                {move || created().map(|staff| view! {
                    <div class="success" role="status" data-testid="staff-created">
                        <p>{lang.t(Msg::StaffCreated)} " " <strong>{staff.full_name}</strong> " (" {staff.email} ")"</p>
                        <p>{lang.t(Msg::StaffInitialPassword)} ": " <code data-testid="initial-password">{staff.initial_password}</code></p>
                        <p class="hint">{lang.t(Msg::StaffInitialPasswordNote)}</p>
                    </div>
                })}
                <ErrorSummary error />
                <ActionForm action=create attr:novalidate=true attr:class="form">
                    <TextField name="full_name" label=Msg::FullName error />
                    <TextField name="email" label=Msg::Email kind="email" error />
                    <fieldset class="field" id="roles" class:field-error=move || role_error().is_some()>
                        <legend>{lang.t(Msg::StaffRolesLegend)}</legend>
                        {move || role_error().map(|msg| view! { <p class="error-message">{lang.t(msg)}</p> })}
                        {Role::STAFF.into_iter().map(|role| view! {
                            <label class="checkbox">
                                <input type="checkbox" name=role.as_str() value="on" />
                                " " {lang.t(role.msg())}
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <button type="submit" class="button">{lang.t(Msg::CreateStaffSubmit)}</button>
                </ActionForm>
            </section>

            <section>
                <h2>{lang.t(Msg::AccountListTitle)}</h2>
                <Transition fallback=move || view! { <p>{lang.t(Msg::Loading)}</p> }>
                    {move || Suspend::new(async move {
                        match users.await {
                            Ok(users) => view! {
                                <div class="table-wrap">
                                    <table class="data-table" data-testid="users-table">
                                        <thead>
                                            <tr>
                                                <th scope="col">{lang.t(Msg::ColumnName)}</th>
                                                <th scope="col">{lang.t(Msg::ColumnEmail)}</th>
                                                <th scope="col">{lang.t(Msg::ColumnRoles)}</th>
                                                <th scope="col">{lang.t(Msg::ColumnCreated)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {users.into_iter().map(|u| view! {
                                                <tr>
                                                    <td>{u.full_name}</td>
                                                    <td>{u.email}</td>
                                                    <td>{u.roles.iter().map(|r| lang.t(r.msg())).collect::<Vec<_>>().join(", ")}</td>
                                                    <td>{u.created_on}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            }.into_any(),
                            Err(err) => view! { <ErrorPanel error=err /> }.into_any(),
                        }
                    })}
                </Transition>
            </section>
        </Protected>
    }
}
