//! Password hashing with argon2id at OWASP's parameters (19 MiB, 2 passes, 1 lane).
//! Hashing is CPU- and memory-heavy, so it runs off the async runtime and at most one hash per
//! core runs at once: a burst of sign-ins queues instead of starving every other request.

use crate::accounts::types::NewPassword;
use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use std::sync::LazyLock;
use tokio::sync::Semaphore;

static HASHING_SLOTS: LazyLock<Semaphore> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    Semaphore::new(cores)
});

/// A hash of a random secret, verified against when the email is unknown so that a sign-in
/// costs the same whether or not the account exists.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let secret = SaltString::generate(&mut OsRng);
    hash_blocking(secret.as_str()).expect("hashing a random secret cannot fail")
});

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(argon2()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

async fn run_limited<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let _slot = HASHING_SLOTS.acquire().await.map_err(AppError::internal)?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(AppError::internal)
}

pub async fn hash(password: &NewPassword) -> Result<String, AppError> {
    let password = password.expose().to_string();
    run_limited(move || hash_blocking(&password))
        .await?
        .map_err(AppError::internal)
}

/// Checks a password against a stored hash; with no hash (unknown account) it does the same
/// work against a dummy and answers false.
pub async fn verify(password: &str, stored_hash: Option<String>) -> Result<bool, AppError> {
    let password = password.to_string();
    run_limited(move || {
        let known = stored_hash.is_some();
        let hash = stored_hash.unwrap_or_else(|| DUMMY_HASH.clone());
        let matches = PasswordHash::new(&hash)
            .map(|parsed| {
                argon2()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        known && matches
    })
    .await
}

/// Computes the dummy hash at start-up so the first unknown-email sign-in is not the slow one.
pub async fn warm_up() {
    let _ = run_limited(|| DUMMY_HASH.len()).await;
}

/// A readable random password for accounts an administrator creates (shown once).
pub fn generate_initial_password() -> String {
    use rand::Rng;
    // No look-alike characters (0/O, 1/l/I), grouped for reading aloud.
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    (0..4)
        .map(|_| {
            (0..4)
                .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let password = NewPassword::parse("correct horse battery").unwrap();
        let stored = hash(&password).await.unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("correct horse battery", Some(stored.clone()))
            .await
            .unwrap());
        assert!(!verify("wrong horse battery", Some(stored)).await.unwrap());
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        assert!(!verify("anything at all", None).await.unwrap());
    }

    #[test]
    fn initial_passwords_are_long_enough_and_differ() {
        let a = generate_initial_password();
        let b = generate_initial_password();
        assert_eq!(a.chars().count(), 19);
        assert!(NewPassword::parse(&a).is_ok());
        assert_ne!(a, b);
    }
}
