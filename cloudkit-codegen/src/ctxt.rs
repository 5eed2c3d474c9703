//! The error collector: every problem found while reading and checking a struct, each at its
//! own span, reported together.

use std::cell::RefCell;
use std::fmt::Display;

use proc_macro2::Span;
use quote::ToTokens;

/// Collects errors across all stages so that a user sees every problem at once.
///
/// Like serde_derive's `Ctxt`, every path ends in [`Ctxt::check`], which hands back all errors
/// combined. (serde panics when an unchecked collector is dropped; a proc macro must never
/// panic, so here `check` takes `self` and the type is `#[must_use]`.)
#[derive(Default)]
#[must_use = "call check() to report the collected errors"]
pub struct Ctxt {
    errors: RefCell<Vec<syn::Error>>,
}

impl Ctxt {
    /// An empty collector.
    pub fn new() -> Self {
        Ctxt {
            errors: RefCell::new(Vec::new()),
        }
    }

    /// Records an error at the span of `tokens`.
    pub fn error_spanned_by<T: ToTokens, M: Display>(&self, tokens: T, message: M) {
        self.push(syn::Error::new_spanned(tokens.into_token_stream(), message));
    }

    /// Records an error at `span`.
    pub fn error_at<M: Display>(&self, span: Span, message: M) {
        self.push(syn::Error::new(span, message));
    }

    /// Records an error syn produced.
    pub fn syn_error(&self, error: syn::Error) {
        self.push(error);
    }

    fn push(&self, error: syn::Error) {
        self.errors.borrow_mut().push(error);
    }

    /// Ends collection: `Ok` if nothing was recorded, else every error combined into one.
    pub fn check(self) -> Result<(), syn::Error> {
        let errors = self.errors.into_inner();
        let mut iter = errors.into_iter();
        match iter.next() {
            None => Ok(()),
            Some(mut first) => {
                for rest in iter {
                    first.combine(rest);
                }
                Err(first)
            }
        }
    }
}
