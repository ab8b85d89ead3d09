//! The mailer against a real SMTP conversation: a small SMTP server in the test (the sink)
//! receives what the mailer sends from the outbox. A submission's notice arrives with the
//! right envelope, subject and body; a server that hangs up or answers "try again later" gets
//! the e-mail again later, once; one that refuses every time leaves it marked failed after
//! the fifth attempt, in the outbox.

mod common;

use clap::Parser;
use common::{profile_fields, TestApp};
use server::mailer::{send_batch, Mailer};
use sqlx::PgPool;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

const PASSWORD: &str = "mật khẩu thí sinh 2026";

/// What the sink does with the n-th message it is given (counted from 1, over all
/// connections), once the whole message has been sent to it.
#[derive(Clone, Copy, Debug)]
enum Step {
    /// `250`: accepted for delivery.
    Accept,
    /// `451`: a temporary refusal ("try again later").
    TryLater,
    /// `554`: a permanent refusal.
    Refuse,
    /// The connection is closed without an answer.
    HangUp,
}

/// One message the sink accepted.
#[derive(Clone, Debug)]
struct Received {
    from: String,
    to: Vec<String>,
    /// The message as sent (headers and encoded body), dot-stuffing undone.
    data: String,
}

/// An SMTP server on 127.0.0.1 that speaks just enough of RFC 5321 for a client: greeting,
/// EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
struct Sink {
    port: u16,
    /// Messages sent to it in full, whatever it answered.
    offered: Arc<AtomicUsize>,
    received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Sink {
    async fn start(script: fn(usize) -> Step) -> Sink {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let offered = Arc::new(AtomicUsize::new(0));
        let received = Arc::new(Mutex::new(Vec::new()));
        let task = {
            let (offered, received) = (offered.clone(), received.clone());
            tokio::spawn(async move {
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        return;
                    };
                    let (offered, received) = (offered.clone(), received.clone());
                    tokio::spawn(async move {
                        let _ = converse(stream, script, &offered, &received).await;
                    });
                }
            })
        };
        Sink {
            port,
            offered,
            received,
            task,
        }
    }

    /// A mailer configured the way the server is, by `--smtp-url` (`PORTAL_SMTP_URL`).
    fn mailer(&self) -> Mailer {
        let url = format!("smtp://127.0.0.1:{}", self.port);
        let cli = server::config::Cli::parse_from(["server", "--smtp-url", &url]);
        Mailer::from_config(&cli.config).unwrap()
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    fn offered(&self) -> usize {
        self.offered.load(Ordering::SeqCst)
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The address inside `<…>` of a MAIL FROM or RCPT TO command.
fn address(command: &str) -> String {
    let start = command.find('<').map_or(0, |i| i + 1);
    let end = command.rfind('>').unwrap_or(command.len());
    command[start..end].to_string()
}

async fn converse(
    stream: tokio::net::TcpStream,
    script: fn(usize) -> Step,
    offered: &AtomicUsize,
    received: &Mutex<Vec<Received>>,
) -> std::io::Result<()> {
    let (reader, mut writer) = stream.into_split();
    let mut reader = BufReader::new(reader);
    writer.write_all(b"220 sink.test ESMTP\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_string();
        let verb = command.to_ascii_uppercase();
        let reply: &[u8] = if verb.starts_with("EHLO") || verb.starts_with("HELO") {
            b"250 sink.test\r\n"
        } else if verb.starts_with("MAIL FROM:") {
            (from, to) = (address(&command), Vec::new());
            b"250 2.1.0 OK\r\n"
        } else if verb.starts_with("RCPT TO:") {
            to.push(address(&command));
            b"250 2.1.5 OK\r\n"
        } else if verb == "DATA" {
            writer.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
            let mut data = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" {
                    // The line break before the dot ends the last line of the message.
                    data.truncate(data.len().saturating_sub(2));
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            let n = offered.fetch_add(1, Ordering::SeqCst) + 1;
            match script(n) {
                Step::Accept => {
                    received.lock().unwrap().push(Received {
                        from: from.clone(),
                        to: to.clone(),
                        data,
                    });
                    b"250 2.0.0 queued\r\n"
                }
                Step::TryLater => b"451 4.3.0 try again later\r\n",
                Step::Refuse => b"554 5.7.1 refused\r\n",
                Step::HangUp => return Ok(()),
            }
        } else if verb == "RSET" || verb == "NOOP" {
            b"250 2.0.0 OK\r\n"
        } else if verb == "QUIT" {
            writer.write_all(b"221 2.0.0 bye\r\n").await?;
            return Ok(());
        } else {
            b"502 5.5.2 not implemented\r\n"
        };
        writer.write_all(reply).await?;
    }
}

/// A received message read back: its headers (unfolded) and its body, decoded.
struct Decoded {
    headers: Vec<(String, String)>,
    body: String,
}

impl Decoded {
    fn parse(data: &str) -> Decoded {
        let (head, body) = data.split_once("\r\n\r\n").expect("headers and a body");
        let headers = head
            .replace("\r\n ", " ")
            .replace("\r\n\t", " ")
            .split("\r\n")
            .map(|line| {
                let (name, value) = line.split_once(':').expect("a header");
                (name.to_ascii_lowercase(), value.trim().to_string())
            })
            .collect::<Vec<_>>();
        let encoding = headers
            .iter()
            .find(|(name, _)| name == "content-transfer-encoding")
            .map_or("7bit".to_string(), |(_, v)| v.to_ascii_lowercase());
        let body = match encoding.as_str() {
            "base64" => base64(body),
            "quoted-printable" => quoted_printable(body),
            _ => body.as_bytes().to_vec(),
        };
        Decoded {
            headers,
            body: String::from_utf8(body).unwrap().replace("\r\n", "\n"),
        }
    }

    /// A header's value, RFC 2047 encoded words decoded.
    fn header(&self, name: &str) -> String {
        let value = &self
            .headers
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no {name} header"))
            .1;
        let mut out = String::new();
        let mut after_word = false;
        for token in value.split(' ') {
            let word = token
                .strip_prefix("=?")
                .and_then(|t| t.strip_suffix("?="))
                .and_then(|t| {
                    let mut parts = t.splitn(3, '?');
                    let (_charset, kind, text) = (parts.next()?, parts.next()?, parts.next()?);
                    Some(match kind {
                        "b" | "B" => base64(text),
                        _ => quoted_printable(&text.replace('_', " ")),
                    })
                });
            match word {
                Some(bytes) => {
                    // Whitespace between two encoded words is not part of the text.
                    if !after_word && !out.is_empty() {
                        out.push(' ');
                    }
                    out.push_str(&String::from_utf8(bytes).unwrap());
                    after_word = true;
                }
                None => {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push_str(token);
                    after_word = false;
                }
            }
        }
        out
    }
}

fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a') as u32 + 26,
            b'0'..=b'9' => (c - b'0') as u32 + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        }
    };
    let symbols: Vec<u32> = text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .map(value)
        .collect();
    let mut out = Vec::new();
    for chunk in symbols.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0, |n, (i, s)| n | (s << (18 - 6 * i)));
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

fn quoted_printable(text: &str) -> Vec<u8> {
    let text = text.replace("=\r\n", "");
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 3 <= bytes.len() {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// Applicants who each register, fill in the form and submit to an open round through the
/// portal: each submission puts one notice in the outbox. Returns their receipt codes.
async fn submissions(pool: &PgPool, emails: &[&str]) -> Vec<String> {
    app::rounds::repo::ensure_builtin_rule_sets(pool)
        .await
        .unwrap();
    let (round, position) = common::processes::open_round(pool).await;
    let app = TestApp::new(pool.clone());
    let mut receipts = Vec::new();
    for (i, email) in emails.iter().enumerate() {
        let cookie = app.register(email, PASSWORD).await;
        let profile = profile_fields(&format!("04019800{i:04}"));
        let profile: Vec<(&str, &str)> = profile
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let (round, position) = (round.to_string(), position.to_string());
        for (path, form) in [
            ("/api/applications/save_profile", profile),
            (
                "/api/applications/save_choice",
                vec![
                    ("round_id", round.as_str()),
                    ("position_id", position.as_str()),
                ],
            ),
            (
                "/api/applications/submit",
                vec![("round_id", round.as_str()), ("declaration", "on")],
            ),
        ] {
            let reply = app.post(path, &form, Some(&cookie)).await;
            assert_eq!(reply.status, 200, "{path}: {}", reply.body);
            if path.ends_with("submit") {
                receipts.push(reply.json()["receipt_code"].as_str().unwrap().to_string());
            }
        }
    }
    // The codes that confirmed their registrations were read already (the test helper took
    // them from the outbox); what is left to send are the submissions' notices.
    sqlx::query("delete from email_outbox where body like '%Mã xác nhận: %'")
        .execute(pool)
        .await
        .unwrap();
    receipts
}

/// (to, subject, body, status, attempts, sent, last error) of every e-mail in the outbox.
type Row = (String, String, String, String, i32, bool, Option<String>);

async fn outbox(pool: &PgPool) -> Vec<Row> {
    sqlx::query_as(
        "select to_address, subject, body, status, attempts, sent_at is not null, last_error
         from email_outbox order by id",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_mailer_task_delivers_a_submission_notice_over_smtp(pool: PgPool) {
    let sink = Sink::start(|_| Step::Accept).await;
    let receipts = submissions(&pool, &["hoa@example.vn"]).await;
    let queued = outbox(&pool).await;
    assert_eq!(queued.len(), 1, "one notice for one submission");

    // The task every server process runs, as it runs there.
    let mailer = tokio::spawn(server::mailer::run(pool.clone(), sink.mailer()));
    let deadline = Instant::now() + Duration::from_secs(30);
    let sent = loop {
        let rows = outbox(&pool).await;
        if rows[0].3 != "pending" {
            break rows;
        }
        assert!(
            Instant::now() < deadline,
            "the notice was not sent within 30 s: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    mailer.abort();

    let received = sink.received();
    assert_eq!(received.len(), 1, "{received:?}");
    let message = &received[0];
    assert_eq!(message.from, "no-reply@tuyendung.localhost");
    assert_eq!(message.to, ["hoa@example.vn"]);
    let decoded = Decoded::parse(&message.data);
    assert_eq!(decoded.header("to"), "hoa@example.vn");
    assert_eq!(
        decoded.header("from"),
        "Cổng tuyển dụng <no-reply@tuyendung.localhost>"
    );
    let (_, subject, body, ..) = &queued[0];
    assert_eq!(&decoded.header("subject"), subject);
    assert!(subject.contains(&receipts[0]), "{subject}");
    assert_eq!(&decoded.body, body, "the body as the outbox holds it");
    assert!(
        body.contains("Kính gửi Nguyễn Văn Thử") && body.contains(&receipts[0]),
        "{body}"
    );
    let (.., status, attempts, sent_at, last_error) = &sent[0];
    assert_eq!(
        (status.as_str(), *attempts, *sent_at, last_error.as_deref()),
        ("sent", 1, true, None)
    );
    println!(
        "SMTP: the submission notice for {} ({} bytes as sent) arrived once, subject {subject:?}",
        message.to[0],
        message.data.len()
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_server_that_hangs_up_or_says_try_later_gets_each_email_again_once(pool: PgPool) {
    // The first message is cut off (no answer), the second is refused for now; then all pass.
    let sink = Sink::start(|n| match n {
        1 => Step::HangUp,
        2 => Step::TryLater,
        _ => Step::Accept,
    })
    .await;
    submissions(&pool, &["hoa@example.vn", "minh@example.vn"]).await;
    let mailer = sink.mailer();

    assert_eq!(send_batch(&pool, &mailer).await.unwrap(), 2);
    let after_failure = outbox(&pool).await;
    assert!(sink.received().is_empty());
    for (to, _, _, status, attempts, sent_at, last_error) in &after_failure {
        assert_eq!(
            (status.as_str(), *attempts, *sent_at),
            ("pending", 1, false)
        );
        assert!(
            last_error.as_deref().is_some_and(|e| !e.is_empty()),
            "{to}: the cause is kept"
        );
    }
    assert!(
        after_failure[1].6.as_deref().unwrap().contains("451"),
        "{:?}",
        after_failure[1].6
    );

    assert_eq!(send_batch(&pool, &mailer).await.unwrap(), 2, "both again");
    assert_eq!(send_batch(&pool, &mailer).await.unwrap(), 0, "nothing left");
    let finally = outbox(&pool).await;
    let received = sink.received();
    let mut recipients: Vec<&str> = received.iter().map(|m| m.to[0].as_str()).collect();
    recipients.sort();
    assert_eq!(
        recipients,
        ["hoa@example.vn", "minh@example.vn"],
        "each once"
    );
    assert_eq!(sink.offered(), 4, "two failed attempts and two deliveries");
    for (to, subject, body, status, attempts, sent_at, _) in &finally {
        assert_eq!((status.as_str(), *attempts, *sent_at), ("sent", 2, true));
        let message = received.iter().find(|m| &m.to[0] == to).unwrap();
        let decoded = Decoded::parse(&message.data);
        assert_eq!((&decoded.header("subject"), &decoded.body), (subject, body));
    }
    println!(
        "SMTP: 2 notices, the first attempt cut off and the second told \"451 try again later\"; \
         next round both delivered, {} messages offered in all, {} accepted, each recipient once",
        sink.offered(),
        received.len()
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn an_email_refused_five_times_is_marked_failed_and_kept(pool: PgPool) {
    let sink = Sink::start(|_| Step::Refuse).await;
    submissions(&pool, &["hoa@example.vn"]).await;
    let mailer = sink.mailer();
    for attempt in 1..=5 {
        assert_eq!(send_batch(&pool, &mailer).await.unwrap(), 1, "{attempt}");
    }
    assert_eq!(send_batch(&pool, &mailer).await.unwrap(), 0, "given up");
    let rows = outbox(&pool).await;
    let (_, _, _, status, attempts, sent_at, last_error) = &rows[0];
    assert_eq!((status.as_str(), *attempts, *sent_at), ("failed", 5, false));
    assert!(
        last_error.as_deref().unwrap().contains("554"),
        "{last_error:?}"
    );
    assert_eq!(sink.offered(), 5);
    assert!(sink.received().is_empty());
}
