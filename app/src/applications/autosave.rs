//! Saving a form as the applicant types: a short pause after the last keystroke sends the
//! whole form to its server function. Until the server has confirmed, the typed values are
//! also kept in the browser's storage, so a lost connection or a closed tab loses nothing:
//! the page puts them back and saves them when it is opened again. Without JavaScript the
//! form's own Save button does the same job.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// What the status line under an autosaved form says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveState {
    Idle,
    Pending,
    Saved,
    /// Not saved: kept on this device, retried.
    Offline,
    /// Refused by the server (the message is shown beside the field).
    Refused,
}

/// Wires autosave to `form`: call `on_input` from the form's `input`/`change` events.
/// `storage_key` names the copy kept in the browser (per user and form).
#[derive(Clone, Copy)]
pub struct Autosave {
    pub state: RwSignal<SaveState>,
    pub on_input: Callback<()>,
}

const PAUSE_MS: u64 = 1200;
const RETRY_MS: u64 = 10_000;

pub fn autosave<S>(
    form: NodeRef<leptos::html::Form>,
    action: ServerAction<S>,
    storage_key: Signal<String>,
) -> Autosave
where
    S: ServerFn<Error = AppError> + serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    let state = RwSignal::new(SaveState::Idle);
    let typed = RwSignal::new(0u64);

    // Dispatches the form's current values; keeps them in the browser until confirmed.
    let save = move || {
        #[cfg(feature = "hydrate")]
        {
            use leptos::form::FromFormData;
            let Some(element) = form.get_untracked() else {
                return;
            };
            let Ok(data) = web_sys::FormData::new_with_form(&element) else {
                return;
            };
            browser::keep(&storage_key.get_untracked(), &data);
            if let Ok(args) = S::from_form_data(&data) {
                state.set(SaveState::Pending);
                action.dispatch(args);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (form, storage_key);
    };

    // The outcome of each save.
    Effect::new(move |_| {
        // 0: no result yet, 1: saved, 2: not saved for a passing reason (network, server,
        // database away): kept and retried, 3: refused.
        let outcome = action.value().with(|v| match v {
            None => 0,
            Some(Ok(_)) => 1,
            Some(Err(AppError::Request(_) | AppError::Internal { .. } | AppError::Unavailable)) => {
                2
            }
            Some(Err(_)) => 3,
        });
        match outcome {
            0 => {}
            1 => {
                #[cfg(feature = "hydrate")]
                browser::forget(&storage_key.get_untracked());
                state.set(SaveState::Saved);
            }
            2 => {
                state.set(SaveState::Offline);
                let attempt = typed.get_untracked();
                set_timeout(
                    move || {
                        if typed.get_untracked() == attempt {
                            save();
                        }
                    },
                    std::time::Duration::from_millis(RETRY_MS),
                );
            }
            _ => state.set(SaveState::Refused),
        }
    });

    // A copy left in the browser by an earlier visit is put back and saved.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(element) = form.get() {
            if browser::restore(&storage_key.get_untracked(), &element) {
                save();
            }
        }
    });

    let on_input = Callback::new(move |_| {
        typed.update(|n| *n += 1);
        let this = typed.get_untracked();
        state.set(SaveState::Pending);
        set_timeout(
            move || {
                // Only the last keystroke of a burst saves.
                if typed.get_untracked() == this {
                    save();
                }
            },
            std::time::Duration::from_millis(PAUSE_MS),
        );
    });
    Autosave { state, on_input }
}

#[cfg(feature = "hydrate")]
mod browser {
    use wasm_bindgen::JsCast;

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    /// Stores the form as a query string (the same encoding the form posts).
    pub fn keep(key: &str, data: &web_sys::FormData) {
        let Ok(params) = web_sys::UrlSearchParams::new_with_str_sequence_sequence(data) else {
            return;
        };
        if let Some(storage) = storage() {
            let _ = storage.set_item(key, &String::from(params.to_string()));
        }
    }

    /// Drops every kept copy (at sign-out, so the next person at this computer sees none).
    pub fn forget_all() {
        let Some(storage) = storage() else { return };
        let keys: Vec<String> = (0..storage.length().unwrap_or(0))
            .filter_map(|i| storage.key(i).ok().flatten())
            .filter(|k| k.starts_with("portal:"))
            .collect();
        for key in keys {
            let _ = storage.remove_item(&key);
        }
    }

    pub fn forget(key: &str) {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(key);
        }
    }

    /// Puts a kept copy back into the form's fields; true if there was one.
    pub fn restore(key: &str, form: &web_sys::HtmlFormElement) -> bool {
        let Some(kept) = storage().and_then(|s| s.get_item(key).ok().flatten()) else {
            return false;
        };
        let Ok(params) = web_sys::UrlSearchParams::new_with_str(&kept) else {
            return false;
        };
        let elements = form.elements();
        for pair in js_sys::try_iter(&params)
            .ok()
            .flatten()
            .into_iter()
            .flatten()
        {
            let Ok(pair) = pair else { continue };
            let pair: js_sys::Array = pair.unchecked_into();
            let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string())
            else {
                continue;
            };
            let Some(element) = elements.named_item(&name) else {
                continue;
            };
            if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
                input.set_value(&value);
            } else if let Some(select) = element.dyn_ref::<web_sys::HtmlSelectElement>() {
                select.set_value(&value);
            } else if let Some(area) = element.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                area.set_value(&value);
            }
        }
        true
    }
}

/// Forgets every draft copy kept in this browser; called when the user signs out.
pub fn forget_kept_drafts() {
    #[cfg(feature = "hydrate")]
    browser::forget_all();
}

/// The status line's text.
pub fn state_msg(state: SaveState) -> Option<crate::i18n::Msg> {
    use crate::i18n::Msg;
    match state {
        SaveState::Idle => None,
        SaveState::Pending => Some(Msg::AutosavePending),
        SaveState::Saved => Some(Msg::AutosaveSaved),
        SaveState::Offline => Some(Msg::AutosaveOffline),
        SaveState::Refused => Some(Msg::AutosaveRefused),
    }
}
