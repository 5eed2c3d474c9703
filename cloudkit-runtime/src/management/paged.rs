//! The paged data calls: queryRecords, queryRecordChanges and deleteRecordsByQuery, one page
//! at a time and following their tokens (spec §4.8, §9).

use cloudkit_wire::management::{
    DeleteRecordsByQueryRequest, PagedBatchDeleteResponse, QueryRecordsRequest, Record,
    RecordChangesRequest, RecordChangesResponse, RecordsResponse,
};

use futures_core::Stream;
use futures_util::{TryStreamExt as _, stream};

use super::database::{MAX_PAGES, ManagedDatabase, check_results_limit};
use super::error::Error;
use super::transport::Call;

impl ManagedDatabase<'_> {
    /// One page of a query over `zone` (queryRecords). More follow while the answer has a
    /// `continuationToken`; send the same request again with it.
    pub async fn query_records(
        &self,
        zone: &str,
        request: &QueryRecordsRequest,
    ) -> Result<RecordsResponse, Error> {
        check_results_limit("queryRecords", request.results_limit)?;
        let call = Call::with_json(
            "queryRecords",
            reqwest::Method::POST,
            self.path.query(zone),
            request,
        )?;
        self.client.json(call).await
    }

    /// Every record of a query, following `continuationToken` from `request`'s until a page
    /// has none (or repeats one). The body is resent unchanged but for the token, as CKTool JS
    /// does (spec §9).
    pub async fn query_all(
        &self,
        zone: &str,
        request: &QueryRecordsRequest,
    ) -> Result<Vec<Record>, Error> {
        let mut request = request.clone();
        let mut all = Vec::new();
        for _ in 0..MAX_PAGES {
            let page = self.query_records(zone, &request).await?;
            all.extend(page.records);
            match page.continuation_token {
                Some(next) if request.continuation_token.as_deref() != Some(&next) => {
                    request.continuation_token = Some(next);
                }
                _ => break,
            }
        }
        Ok(all)
    }

    /// The records of a query as a stream, reading the next page (following
    /// `continuationToken`) only when the previous one is used up. Stops after a page without
    /// a token, a repeated token, or the first error.
    pub fn query_stream<'s>(
        &'s self,
        zone: &'s str,
        request: &QueryRecordsRequest,
    ) -> impl Stream<Item = Result<Record, Error>> + 's {
        let start = (Some(request.clone()), 0usize);
        stream::try_unfold(start, move |(request, pages)| async move {
            let Some(mut request) = request else {
                return Ok::<_, Error>(None);
            };
            let page = self.query_records(zone, &request).await?;
            let next = match page.continuation_token {
                Some(token)
                    if pages + 1 < MAX_PAGES
                        && request.continuation_token.as_deref() != Some(&token) =>
                {
                    request.continuation_token = Some(token);
                    Some(request)
                }
                _ => None,
            };
            let records = stream::iter(page.records.into_iter().map(Ok::<_, Error>));
            Ok(Some((records, (next, pages + 1))))
        })
        .try_flatten()
    }

    /// One page of `zone`'s changes since `request.change_token` (queryRecordChanges). Call
    /// again with the answer's `changeToken` while `moreComing` is true. An empty request is
    /// sent as an empty body, as CKTool JS sends it.
    pub async fn record_changes(
        &self,
        zone: &str,
        request: &RecordChangesRequest,
    ) -> Result<RecordChangesResponse, Error> {
        check_results_limit("queryRecordChanges", request.results_limit)?;
        let path = self.path.changes(zone);
        let call = if request.is_empty() {
            let mut call = Call::new("queryRecordChanges", reqwest::Method::POST, path);
            call.body = Some(("application/json".to_owned(), Vec::new()));
            call
        } else {
            Call::with_json("queryRecordChanges", reqwest::Method::POST, path, request)?
        };
        self.client.json(call).await
    }

    /// Every change since `request.change_token`, following `moreComing`; the results in
    /// order and the last change token to start from next time.
    pub async fn all_record_changes(
        &self,
        zone: &str,
        request: &RecordChangesRequest,
    ) -> Result<RecordChangesResponse, Error> {
        let mut request = request.clone();
        let mut all = RecordChangesResponse {
            record_results: Vec::new(),
            more_coming: false,
            change_token: request.change_token.clone(),
        };
        for _ in 0..MAX_PAGES {
            let page = self.record_changes(zone, &request).await?;
            all.record_results.extend(page.record_results);
            let moved = page.change_token.is_some() && page.change_token != request.change_token;
            if page.change_token.is_some() {
                all.change_token.clone_from(&page.change_token);
            }
            all.more_coming = page.more_coming;
            if !page.more_coming || !moved {
                break;
            }
            request.change_token = page.change_token;
        }
        Ok(all)
    }

    /// Deletes (or with `dryRun`, counts) one batch of records matching a query
    /// (deleteRecordsByQuery). More remain while the answer has a `continuationToken`.
    pub async fn delete_records_by_query(
        &self,
        zone: &str,
        request: &DeleteRecordsByQueryRequest,
    ) -> Result<PagedBatchDeleteResponse, Error> {
        check_results_limit("deleteRecordsByQuery", request.results_limit)?;
        let call = Call::with_json(
            "deleteRecordsByQuery",
            reqwest::Method::POST,
            self.path.deletion_query(zone),
            request,
        )?;
        self.client.json(call).await
    }

    /// Every batch of a deletion query, following `continuationToken`: the total count, every
    /// per-record error, no token.
    pub async fn delete_all_by_query(
        &self,
        zone: &str,
        request: &DeleteRecordsByQueryRequest,
    ) -> Result<PagedBatchDeleteResponse, Error> {
        let mut request = request.clone();
        let mut all = PagedBatchDeleteResponse {
            deleted_count: 0,
            errors: Vec::new(),
            continuation_token: None,
        };
        for _ in 0..MAX_PAGES {
            let batch = self.delete_records_by_query(zone, &request).await?;
            all.deleted_count = all.deleted_count.saturating_add(batch.deleted_count);
            all.errors.extend(batch.errors);
            match batch.continuation_token {
                Some(next) if request.continuation_token.as_deref() != Some(&next) => {
                    request.continuation_token = Some(next);
                }
                _ => break,
            }
        }
        Ok(all)
    }
}
