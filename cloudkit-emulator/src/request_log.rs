//! One line per request on the terminal of `cloudkit serve` (issue #18): time, method,
//! endpoint, status, CloudKit error code and reason, latency; errors highlighted.
//!
//! The emulator emits one `tracing` event per request at INFO with target [`TARGET`] (see
//! `http::layer`); [`install`] sets a subscriber that prints those events, and warnings and
//! errors from the emulator, as compact lines on stderr. The endpoint is the route, never the
//! query string (it carries API and web auth tokens), and a route whose path segments are
//! capabilities (a web courier ID, an asset upload ID) is shown by its template. Values from the request are
//! printed escaped, so a hostile name cannot write control characters to the terminal.
//!
//! A hand-written subscriber rather than `tracing-subscriber`'s `fmt` layer: these few lines
//! are all it prints, and the crate is not otherwise part of the build.

use std::fmt::Write as _;
use std::io::Write as _;

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};

/// The target of the per-request events.
pub const TARGET: &str = "cloudkit_emulator::request";

/// Emits the event for one answered request.
pub(crate) fn request(
    method: &str,
    endpoint: &str,
    status: u16,
    code: Option<(&str, &str)>,
    latency: std::time::Duration,
) {
    let (code, reason) = code.unwrap_or_default();
    tracing::info!(
        target: "cloudkit_emulator::request",
        method,
        endpoint,
        status,
        code,
        reason,
        latency_ms = latency.as_secs_f64() * 1000.0,
    );
}

/// Prints request lines (and the emulator's warnings and errors) on stderr from now on, in
/// color when `color`. Returns false when another subscriber was installed first.
pub fn install(color: bool) -> bool {
    tracing::subscriber::set_global_default(RequestLines { color }).is_ok()
}

struct RequestLines {
    color: bool,
}

fn wanted(meta: &Metadata<'_>) -> bool {
    meta.is_event()
        && (meta.target() == TARGET
            || (meta.target().starts_with("cloudkit_emulator") && *meta.level() <= Level::WARN))
}

impl Subscriber for RequestLines {
    fn register_callsite(&self, meta: &'static Metadata<'static>) -> Interest {
        if wanted(meta) {
            Interest::always()
        } else {
            Interest::never()
        }
    }

    fn enabled(&self, meta: &Metadata<'_>) -> bool {
        wanted(meta)
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        // No span is ever enabled; an ID is still owed to the caller.
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let meta = event.metadata();
        let line = if meta.target() == TARGET {
            request_line(&fields, self.color)
        } else {
            other_line(meta.level(), &fields, self.color)
        };
        // A terminal that went away must not fail a request.
        let _ = writeln!(std::io::stderr().lock(), "{} {line}", now());
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// The fields of one event, as text.
#[derive(Default)]
struct Fields {
    values: Vec<(&'static str, String)>,
}

impl Fields {
    fn get(&self, name: &str) -> &str {
        self.values
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.values.push((field.name(), value.to_owned()));
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.values.push((field.name(), format!("{value:.1}")));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.values.push((field.name(), format!("{value:?}")));
    }
}

const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// `POST /database/1/…/records/modify 400 BAD_REQUEST "reason" 2.1ms`
fn request_line(fields: &Fields, color: bool) -> String {
    let status: u16 = fields.get("status").parse().unwrap_or(0);
    let mut line = format!(
        "{} {} {status}",
        fields.get("method").escape_debug(),
        fields.get("endpoint").escape_debug()
    );
    let code = fields.get("code");
    if !code.is_empty() {
        let _ = write!(line, " {} {:?}", code.escape_debug(), fields.get("reason"));
    }
    let latency = format!("{}ms", fields.get("latency_ms"));
    let paint = match status {
        500.. => Some(RED),
        400.. => Some(YELLOW),
        _ => None,
    };
    match (color, paint) {
        (true, Some(paint)) => format!("{paint}{line}{RESET} {DIM}{latency}{RESET}"),
        (true, None) => format!("{line} {DIM}{latency}{RESET}"),
        (false, _) => format!("{line} {latency}"),
    }
}

fn other_line(level: &Level, fields: &Fields, color: bool) -> String {
    let mut line = format!("{level} {}", fields.get("message").escape_debug());
    for (name, value) in fields.values.iter().filter(|(n, _)| *n != "message") {
        let _ = write!(line, " {name}={}", value.escape_debug());
    }
    match color {
        true => format!("{RED}{line}{RESET}"),
        false => line,
    }
}

/// The time of day, UTC, to the millisecond.
fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!(
        "{:02}:{:02}:{:02}.{:03}Z",
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&'static str, &str)]) -> Fields {
        Fields {
            values: pairs.iter().map(|(n, v)| (*n, (*v).to_owned())).collect(),
        }
    }

    #[test]
    fn lines_name_endpoint_status_and_code_and_escape_what_the_client_sent() {
        let f = fields(&[
            ("method", "POST"),
            (
                "endpoint",
                "/database/1/c/development/public/records/modify",
            ),
            ("status", "400"),
            ("code", "BAD_REQUEST"),
            ("reason", "bad name \u{1b}[2J"),
            ("latency_ms", "1.5"),
        ]);
        assert_eq!(
            request_line(&f, false),
            r#"POST /database/1/c/development/public/records/modify 400 BAD_REQUEST "bad name \u{1b}[2J" 1.5ms"#
        );
        assert!(request_line(&f, true).starts_with(YELLOW));
        let ok = fields(&[
            ("method", "GET"),
            ("endpoint", "/webcourier/{courier}"),
            ("status", "200"),
            ("latency_ms", "0.3"),
        ]);
        assert_eq!(
            request_line(&ok, false),
            "GET /webcourier/{courier} 200 0.3ms"
        );
    }
}
