//! Running a query: all results at once, or as a stream that follows `continuationMarker`
//! with one page in memory. A typed query's run yields its record type; a wire query's run
//! is told the type per call.

use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::{StreamExt as _, TryStreamExt as _, stream};

use super::continuation::{Step, follow};
use super::database::{Database, Scope};
use super::error::{Error, ServerFailure};
use super::query_cursor::{QueryCursor, fingerprint};
use super::records::decode_failure;
use super::request::PreparedRequest;
use super::retry::CallStart;
use cloudkit_wire::CloudKitRecord;
use cloudkit_wire::ws::{
    Query, QueryRecordsRequest, QueryRecordsResponse, Record, RecordEntry, TypedRecordsResponse,
    ZoneId,
};

pub(crate) const QUERY: &str = "records/query";

/// One page of query results.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryPage {
    /// Records of this page in server order; an element the server reported as an error is
    /// kept in place.
    pub records: Vec<Result<Record, ServerFailure>>,
    /// The marker to resume after this page; `None` on the last page.
    pub continuation_marker: Option<String>,
}

/// A query ready to run. Start with [`Database::query`].
///
/// `R` is the record type a typed query yields ([`all`](QueryRun::all),
/// [`stream`](QueryRun::stream), [`first_page`](QueryRun::first_page)); a wire query's run
/// is `QueryRun<S, AnyRecord>` and names the type per call (`all::<Note>()`).
///
/// ```compile_fail
/// # use cloudkit_runtime::client::PrivateDatabase;
/// # use cloudkit_runtime::{CloudKitRecord, DecodeError, wire::Record};
/// # struct Note; struct Folder;
/// # impl CloudKitRecord for Note { const RECORD_TYPE: &'static str = "Note";
/// #   fn to_record(&self) -> Record { todo!() } fn from_record(_: Record) -> Result<Self, DecodeError> { todo!() } }
/// # impl CloudKitRecord for Folder { const RECORD_TYPE: &'static str = "Folder";
/// #   fn to_record(&self) -> Record { todo!() } fn from_record(_: Record) -> Result<Self, DecodeError> { todo!() } }
/// # async fn f(db: PrivateDatabase) {
/// // A query for notes yields notes; asking it for folders does not compile.
/// let folders: Vec<Folder> = db.query(cloudkit_runtime::typed::Query::<Note>::new()).all().await.unwrap();
/// # }
/// ```
#[must_use = "a query does nothing until `all`, `stream`, `pages` or `first_page` is used"]
pub struct QueryRun<S: Scope, R = AnyRecord> {
    db: Database<S>,
    query: Query,
    zone_id: Option<ZoneId>,
    zone_wide: bool,
    results_limit: Option<u32>,
    desired_keys: Option<Vec<String>>,
    continuation_marker: Option<String>,
    record: PhantomData<fn() -> R>,
}

/// The record type of a wire query's run: any, named per call.
#[derive(Clone, Copy, Debug)]
pub struct AnyRecord;

// By hand: a derive would ask the scope marker and the record type to be `Clone` too.
impl<S: Scope, R> Clone for QueryRun<S, R> {
    fn clone(&self) -> Self {
        QueryRun {
            db: self.db.clone(),
            query: self.query.clone(),
            zone_id: self.zone_id.clone(),
            zone_wide: self.zone_wide,
            results_limit: self.results_limit,
            desired_keys: self.desired_keys.clone(),
            continuation_marker: self.continuation_marker.clone(),
            record: PhantomData,
        }
    }
}

impl<S: Scope, R> std::fmt::Debug for QueryRun<S, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QueryRun")
            .field("db", &self.db)
            .field("query", &self.query)
            .field("zone_id", &self.zone_id)
            .field("zone_wide", &self.zone_wide)
            .field("results_limit", &self.results_limit)
            .field("desired_keys", &self.desired_keys)
            .field("continuation_marker", &self.continuation_marker)
            .finish()
    }
}

impl<S: Scope> Database<S> {
    /// Starts a query: a wire query dictionary, or a typed query
    /// (`Note::query().filter(…)`), whose desired keys are sent as `desiredKeys` and whose
    /// run yields `Note`s.
    pub fn query<Q: IntoQueryRun>(&self, query: Q) -> QueryRun<S, Q::Record> {
        let (query, desired_keys) = query.into_query_parts();
        QueryRun {
            db: self.clone(),
            query,
            zone_id: None,
            zone_wide: false,
            results_limit: None,
            desired_keys,
            continuation_marker: None,
            record: PhantomData,
        }
    }
}

/// What [`Database::query`] runs: the wire query dictionary, or a typed
/// [`typed::Query`](crate::typed::Query) (by value or by reference), which brings its
/// `desiredKeys` and its record type along.
pub trait IntoQueryRun {
    /// What the run yields: the typed query's record type, or [`AnyRecord`].
    type Record;
    /// The query dictionary and the fields to fetch (`None`: every field).
    fn into_query_parts(self) -> (Query, Option<Vec<String>>);
}

impl IntoQueryRun for Query {
    type Record = AnyRecord;
    fn into_query_parts(self) -> (Query, Option<Vec<String>>) {
        (self, None)
    }
}

impl IntoQueryRun for &Query {
    type Record = AnyRecord;
    fn into_query_parts(self) -> (Query, Option<Vec<String>>) {
        (self.clone(), None)
    }
}

impl<R: CloudKitRecord> IntoQueryRun for crate::typed::Query<R> {
    type Record = R;
    fn into_query_parts(self) -> (Query, Option<Vec<String>>) {
        let keys = self.desired_key_names().map(<[String]>::to_vec);
        (self.into_wire(), keys)
    }
}

impl<R: CloudKitRecord> IntoQueryRun for &crate::typed::Query<R> {
    type Record = R;
    fn into_query_parts(self) -> (Query, Option<Vec<String>>) {
        let keys = self.desired_key_names().map(<[String]>::to_vec);
        (self.to_wire(), keys)
    }
}

impl<S: Scope, R: 'static> QueryRun<S, R> {
    /// Searches one zone (default zone when not set). Clears [`zone_wide`](Self::zone_wide).
    pub fn zone(mut self, zone_id: ZoneId) -> Self {
        self.zone_id = Some(zone_id);
        self.zone_wide = false;
        self
    }

    /// Searches every zone. `zoneID` is then never sent (the two conflict on the wire).
    pub fn zone_wide(mut self) -> Self {
        self.zone_wide = true;
        self.zone_id = None;
        self
    }

    /// Records per page (server maximum and default: 200).
    pub fn results_limit(mut self, limit: u32) -> Self {
        self.results_limit = Some(limit);
        self
    }

    /// Only these fields come back (replaces the typed query's desired keys, if any).
    pub fn desired_keys<I, K>(mut self, keys: I) -> Self
    where
        I: IntoIterator<Item = K>,
        K: Into<String>,
    {
        self.desired_keys = Some(keys.into_iter().map(Into::into).collect());
        self
    }

    /// Resumes after a page whose marker was saved.
    pub fn continue_from(mut self, continuation_marker: impl Into<String>) -> Self {
        self.continuation_marker = Some(continuation_marker.into());
        self
    }

    /// The request for the page after `continuation_marker` (the first page for `None`).
    pub fn prepare(&self, continuation_marker: Option<&str>) -> Result<PreparedRequest, Error> {
        let body = QueryRecordsRequest {
            query: self.query.clone(),
            zone_id: if self.zone_wide {
                None
            } else {
                self.zone_id.clone()
            },
            zone_wide: self.zone_wide.then_some(true),
            results_limit: self.results_limit,
            continuation_marker: continuation_marker.map(str::to_owned),
            desired_keys: self.desired_keys.clone(),
            numbers_as_strings: None,
        };
        PreparedRequest::post(self.db.path(QUERY), QUERY, S::SCOPE, &body)
    }

    async fn fetch_page(&self, marker: Option<&str>) -> Result<Step<QueryPage>, Error> {
        let request = self.prepare(marker)?;
        let response: QueryRecordsResponse = self.db.client.transport.call(&request).await?;
        let page = QueryPage {
            records: response
                .records
                .into_iter()
                .map(|item| match item {
                    Ok(RecordEntry::Record(r)) => Ok(r),
                    Ok(RecordEntry::Tombstone(t)) => Ok(Record {
                        record_name: Some(t.record_name),
                        deleted: Some(true),
                        zone_id: t.zone_id,
                        ..Record::default()
                    }),
                    Err(dict) => Err(ServerFailure::new(QUERY, None, dict)),
                })
                .collect(),
            continuation_marker: response.continuation_marker,
        };
        Ok(Step {
            items: page.records.len(),
            next: page.continuation_marker.clone(),
            more: page.continuation_marker.is_some(),
            page,
        })
    }

    /// Pages as they arrive; stops after the page without a marker, or with
    /// [`Error::ContinuationStalled`] if the server repeats a marker.
    pub fn pages(self) -> impl Stream<Item = Result<QueryPage, Error>> + Send + 'static {
        let start = self.continuation_marker.clone();
        follow(QUERY, start, move |marker| {
            let run = self.clone();
            async move { run.fetch_page(marker.as_deref()).await }
        })
    }

    /// One page decoded straight into `T` (see [`TypedRecordsResponse`]).
    async fn fetch_typed_page<T: CloudKitRecord>(
        &self,
        marker: Option<&str>,
    ) -> Result<Step<Vec<Result<T, Error>>>, Error> {
        let request = self.prepare(marker)?;
        let response = self
            .db
            .client
            .transport
            // One page is one call: its retries share a deadline; the next page starts afresh.
            .call_with(
                &request,
                CallStart::now(),
                TypedRecordsResponse::<T>::from_slice,
            )
            .await?
            .response;
        let items = response.records.len();
        let records = response
            .records
            .into_iter()
            .map(|item| match item {
                Ok(RecordEntry::Record(decoded)) => decoded.map_err(decode_failure),
                Ok(RecordEntry::Tombstone(t)) => Err(Error::RecordDecode {
                    message: format!(
                        "record type `{}`: the query returned a deleted record",
                        T::RECORD_TYPE
                    ),
                    record_name: t.record_name,
                }),
                Err(dict) => Err(ServerFailure::new(QUERY, None, dict).into()),
            })
            .collect();
        Ok(Step {
            page: records,
            more: response.continuation_marker.is_some(),
            next: response.continuation_marker,
            items,
        })
    }

    /// Every matching record decoded as `T`, one page in memory at a time.
    fn stream_as<T: CloudKitRecord + Send + 'static>(self) -> RecordStream<T> {
        let start = self.continuation_marker.clone();
        let records = follow(QUERY, start, move |marker| {
            let run = self.clone();
            async move { run.fetch_typed_page::<T>(marker.as_deref()).await }
        })
        .map_ok(stream::iter)
        .try_flatten();
        RecordStream {
            inner: Box::pin(records),
        }
    }

    /// Every matching record decoded as `T`; the first error ends it.
    async fn all_as<T: CloudKitRecord + Send + 'static>(self) -> Result<Vec<T>, Error> {
        let mut stream = self.stream_as::<T>();
        let mut out = Vec::new();
        while let Some(item) = stream.next().await {
            out.push(item?);
        }
        Ok(out)
    }
}

impl<S: Scope> QueryRun<S, AnyRecord> {
    /// Every matching record, decoded as `T`, one at a time; one page is held in memory.
    pub fn stream<T: CloudKitRecord + Send + 'static>(self) -> RecordStream<T> {
        self.stream_as()
    }

    /// Every matching record, decoded as `T`. Follows every `continuationMarker`; the first
    /// error (whole request, per record, or decoding) ends it.
    pub async fn all<T: CloudKitRecord + Send + 'static>(self) -> Result<Vec<T>, Error> {
        self.all_as().await
    }
}

/// One page of a typed query, for an HTTP handler: the records and where the next page starts.
#[derive(Clone, Debug, PartialEq)]
pub struct TypedPage<R> {
    /// This page's records, in server order.
    pub records: Vec<R>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<QueryCursor>,
}

impl<S: Scope, R: CloudKitRecord + Send + 'static> QueryRun<S, R> {
    /// Every matching record, one at a time; one page is held in memory. The stream is
    /// `Unpin`: `while let Some(note) = stream.try_next().await?` needs no `pin!`.
    pub fn stream(self) -> RecordStream<R> {
        self.stream_as()
    }

    /// Every matching record. Follows every `continuationMarker`; the first error (whole
    /// request, per record, or decoding) ends it.
    pub async fn all(self) -> Result<Vec<R>, Error> {
        self.all_as().await
    }

    /// The first page, and a cursor for the next one.
    pub async fn first_page(self) -> Result<TypedPage<R>, Error> {
        self.typed_page(None).await
    }

    /// The page `cursor` points at (from an earlier page of this same query, e.g. a URL
    /// parameter). A cursor of another query is [`Error::CursorMismatch`].
    pub async fn page(self, cursor: &QueryCursor) -> Result<TypedPage<R>, Error> {
        self.typed_page(Some(cursor)).await
    }

    async fn typed_page(self, cursor: Option<&QueryCursor>) -> Result<TypedPage<R>, Error> {
        let first = self.prepare(None)?;
        let print = fingerprint(&first.path, first.body.as_deref().unwrap_or_default());
        let marker = match cursor {
            Some(cursor) => Some(cursor.marker_for(print).ok_or(Error::CursorMismatch)?),
            None => None,
        };
        let step = self.fetch_typed_page::<R>(marker).await?;
        let records = step.page.into_iter().collect::<Result<Vec<R>, Error>>()?;
        let next = match step.next {
            Some(next) if step.more && Some(next.as_str()) != marker => {
                Some(QueryCursor::new(print, next))
            }
            Some(_) if step.more => return Err(Error::ContinuationStalled { endpoint: QUERY }),
            _ => None,
        };
        Ok(TypedPage { records, next })
    }
}

/// Records of a query as they arrive. `Unpin`, so `stream.try_next().await` works without
/// pinning it first.
pub struct RecordStream<T> {
    inner: Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>,
}

impl<T> Stream for RecordStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> std::fmt::Debug for RecordStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecordStream")
    }
}
