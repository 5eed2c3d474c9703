//! Sending a list of modify operations (`records/modify`, `zones/modify`,
//! `subscriptions/modify`): a request the server refuses as too large goes again as two halves,
//! and operations answered with a transient per-item error are sent again on their own, all
//! within the one retry deadline of the call. Each endpoint says how to build its request and
//! where the per-operation answers are ([`ModifyEndpoint`]); what a final answer means (a
//! retried create answered `EXISTS`...) stays with the endpoint.

mod send;
mod too_large;

pub(crate) use send::{ModifyEndpoint, Sent, send_operations};
