//! The send loop shared by the modify endpoints: halves on a size refusal, per-item re-sends
//! of transient errors, results in operation order.

use std::future::Future;
use std::pin::Pin;

use super::super::error::{Error, ServerFailure};
use super::super::request::PreparedRequest;
use super::super::retry::CallStart;
use super::super::transport::Transport;
use super::too_large::is_too_large;
use cloudkit_wire::ws::{ServerError as WireServerError, ServerErrorCode};

/// A modify endpoint: how one request of its operations is built and answered.
pub(crate) trait ModifyEndpoint: Sync {
    /// One operation of the request body.
    type Operation: Clone + Send + Sync;
    /// What the server answers for an operation that succeeded.
    type Item: Send;
    /// The 2xx response body.
    type Response: serde::de::DeserializeOwned + Send;

    /// `entity/action`, for errors.
    const ENDPOINT: &'static str;

    /// The transport requests go through.
    fn transport(&self) -> &Transport;

    /// The request carrying `operations`.
    fn request(&self, operations: Vec<Self::Operation>) -> Result<PreparedRequest, Error>;

    /// The per-operation answers of a response, in order.
    fn items(response: Self::Response) -> Vec<Result<Self::Item, WireServerError>>;

    /// All-or-nothing: never split, and a real failure of one operation sinks the others.
    fn atomic(&self) -> bool {
        false
    }
}

/// The final answer for each operation, in order, and whether an attempt whose answer was lost
/// may have applied it (a request that had to be sent again, or `resend` from the caller).
pub(crate) struct Sent<T> {
    /// One result per operation.
    pub(crate) results: Vec<Result<T, ServerFailure>>,
    /// One flag per operation.
    pub(crate) maybe_applied: Vec<bool>,
}

type Boxed<'a, T> = Pin<Box<dyn Future<Output = Result<Sent<T>, Error>> + Send + 'a>>;

/// Sends `operations` in one request (two halves, recursively, when the server refuses it as
/// too large), sending operations answered with a transient per-item error again on their own
/// until they are answered for good or the call's deadline (begun at `call`) is spent; those
/// left then keep their transient error, with its `retryAfter`. `resend` marks every operation
/// as maybe applied from the start.
pub(crate) fn send_operations<'a, E: ModifyEndpoint>(
    endpoint: &'a E,
    operations: &'a [E::Operation],
    resend: bool,
    call: CallStart,
) -> Boxed<'a, E::Item> {
    Box::pin(async move {
        let transport = endpoint.transport();
        let policy = &transport.retry;
        let atomic = endpoint.atomic();
        let mut results: Vec<Option<Result<E::Item, ServerFailure>>> =
            operations.iter().map(|_| None).collect();
        let mut maybe_applied = vec![resend; operations.len()];
        let mut pending: Vec<usize> = (0..operations.len()).collect();
        let mut round = 1u32;
        loop {
            let request = endpoint.request(
                pending
                    .iter()
                    .filter_map(|&i| operations.get(i).cloned())
                    .collect(),
            )?;
            let reply = match transport.reply_in::<E::Response>(&request, call).await {
                Ok(reply) => reply,
                // Refused for its size: nothing was applied; send it as two smaller requests.
                Err(error)
                    if round == 1 && !atomic && operations.len() > 1 && is_too_large(&error) =>
                {
                    return send_halves(endpoint, operations, resend, call).await;
                }
                Err(error) => return Err(error),
            };
            if reply.attempts > 1 {
                for &i in &pending {
                    if let Some(flag) = maybe_applied.get_mut(i) {
                        *flag = true;
                    }
                }
            }
            let items = E::items(reply.response);
            if items.len() != pending.len() {
                return Err(Error::count_mismatch(
                    E::ENDPOINT,
                    "operations",
                    items.len(),
                    pending.len(),
                    &reply.body,
                ));
            }
            let any_transient = items
                .iter()
                .any(|r| r.as_ref().is_err_and(WireServerError::is_retryable));
            // In an atomic batch, one real failure sinks all; resending the rest would apply
            // them without it.
            let atomic_blocked = atomic
                && items.iter().any(|r| {
                    r.as_ref().is_err_and(|e| {
                        !e.is_retryable() && e.code() != Some(&ServerErrorCode::AtomicError)
                    })
                });
            let mut retry_next = Vec::new();
            let mut longest_retry_after: Option<f64> = None;
            for (&i, item) in pending.iter().zip(items) {
                let result = match item {
                    Ok(item) => Ok(item),
                    Err(dict) => {
                        let failure = ServerFailure::new(E::ENDPOINT, None, dict);
                        let may_retry = !atomic_blocked
                            && (failure.is_transient()
                                // Atomic: the whole batch failed because of a transient sibling.
                                || (atomic
                                    && any_transient
                                    && failure.code() == ServerErrorCode::AtomicError));
                        if may_retry {
                            longest_retry_after = match (longest_retry_after, failure.retry_after())
                            {
                                (Some(a), Some(b)) => Some(a.max(b)),
                                (a, b) => a.or(b),
                            };
                            retry_next.push((i, failure));
                            continue;
                        }
                        Err(failure)
                    }
                };
                if let Some(slot) = results.get_mut(i) {
                    *slot = Some(result);
                }
            }
            if retry_next.is_empty() {
                break;
            }
            let Some(wait) = policy.next_wait(round, longest_retry_after, call.elapsed()) else {
                // Out of time (or the server wants a longer wait than allowed): the transient
                // errors are the answers, each with its retryAfter.
                for (i, failure) in retry_next {
                    if let Some(slot) = results.get_mut(i) {
                        *slot = Some(Err(failure));
                    }
                }
                break;
            };
            // A per-item transient error means that operation was not applied; only a lost
            // answer to the re-send (counted above via `attempts`) makes it "maybe applied".
            tokio::time::sleep(wait).await;
            pending = retry_next.into_iter().map(|(i, _)| i).collect();
            round += 1;
        }
        Ok(Sent {
            results: results
                .into_iter()
                .map(|r| r.unwrap_or_else(|| Err(no_result(E::ENDPOINT))))
                .collect(),
            maybe_applied,
        })
    })
}

/// Sends `operations` as two requests, one half after the other (each may split again), so
/// operations on one item keep their order.
fn send_halves<'a, E: ModifyEndpoint>(
    endpoint: &'a E,
    operations: &'a [E::Operation],
    resend: bool,
    call: CallStart,
) -> Boxed<'a, E::Item> {
    Box::pin(async move {
        let (left, right) = operations.split_at(operations.len() / 2);
        tracing::debug!(
            endpoint = E::ENDPOINT,
            operations = operations.len(),
            "refused as too large; sending it in two halves"
        );
        let mut sent = send_operations(endpoint, left, resend, call).await?;
        let rest = send_operations(endpoint, right, resend, call).await?;
        sent.results.extend(rest.results);
        sent.maybe_applied.extend(rest.maybe_applied);
        Ok(sent)
    })
}

fn no_result(endpoint: &'static str) -> ServerFailure {
    ServerFailure::new(
        endpoint,
        None,
        WireServerError::new(
            ServerErrorCode::Other("UNKNOWN".to_owned()),
            "no result for this operation",
        ),
    )
}
