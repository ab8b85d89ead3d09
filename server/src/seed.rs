//! Demo accounts, one per role (and three markers for the demo marking board), created on an
//! empty database outside production.

use crate::config::{Config, Environment};
use anyhow::Result;
use app::accounts::{password, repo, types::*};
use sqlx::PgPool;

pub const DEMO_PASSWORD: &str = "demo-tuyendung-2026";

/// One account per role, then the further markers of the demo marking and appeal boards.
pub const DEMO_ACCOUNTS: [(&str, &str, Role); 8] = [
    ("thisinh@demo.example", "Nguyễn Văn An", Role::Applicant),
    ("chamthi@demo.example", "Trần Thị Bình", Role::Marker),
    ("truongban@demo.example", "Lê Văn Cường", Role::BoardChair),
    ("nhansu@demo.example", "Phạm Thị Dung", Role::HrOfficer),
    ("quantri@demo.example", "Hoàng Văn Em", Role::Administrator),
    ("chamthi2@demo.example", "Đỗ Thị Giang", Role::Marker),
    ("chamthi3@demo.example", "Vũ Văn Hải", Role::Marker),
    ("chamthi4@demo.example", "Bùi Thị Khánh", Role::Marker),
];

/// Seeds the demo accounts and rounds when the database has no users yet; never in
/// production. Returns whether it seeded.
pub async fn seed_demo(pool: &PgPool, config: &Config) -> Result<bool> {
    if config.environment == Environment::Production || repo::count_users(pool).await? > 0 {
        return Ok(false);
    }
    let password = NewPassword::parse(DEMO_PASSWORD).map_err(|m| anyhow::anyhow!("{m:?}"))?;
    let hash = password::hash(&password)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut hr = None;
    for (email, name, role) in DEMO_ACCOUNTS {
        let email = Email::parse(email).map_err(|m| anyhow::anyhow!("{m:?}"))?;
        let name = FullName::parse(name).map_err(|m| anyhow::anyhow!("{m:?}"))?;
        let id = repo::insert_user(pool, &email, &name, &hash, &[role], None).await?;
        if role == Role::HrOfficer {
            hr = Some(id);
        }
    }
    if let Some(hr) = hr {
        crate::demo_rounds::seed(pool, hr).await?;
        crate::demo_applications::seed(pool, &hash, hr).await?;
        crate::demo_stage2::seed(pool, &hash, hr).await?;
    }
    Ok(true)
}

pub fn print_demo_accounts() {
    println!("\nDemo accounts (password for all: {DEMO_PASSWORD}):");
    for (email, name, role) in DEMO_ACCOUNTS {
        println!("  {:<14} {email:<26} {name}", role.as_str());
    }
    println!();
}

/// Whether the demo accounts exist (so that later starts can remind the developer of them).
pub async fn demo_accounts_present(pool: &PgPool) -> Result<bool> {
    Ok(repo::find_credentials(pool, DEMO_ACCOUNTS[4].0)
        .await?
        .is_some())
}
