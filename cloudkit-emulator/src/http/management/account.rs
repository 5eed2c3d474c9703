//! getTeams and getContainers: the emulator's one team and the containers it serves.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use cloudkit_wire::management::{Container, ContainersResponse, Team, TeamsResponse};

use super::answer::{Answer, Management, json, shown};

/// `GET /users/current/teams`.
pub async fn teams(State(management): State<Arc<Management>>, headers: HeaderMap) -> Response {
    if let Err(answer) = management.admit(&headers) {
        return answer.into_response();
    }
    json(
        StatusCode::OK,
        &TeamsResponse {
            teams: vec![Team {
                team_id: management.team_id.clone(),
                team_name: "CloudKit emulator".to_owned(),
                team_type: None,
            }],
            recent_team_id: Some(management.team_id.clone()),
        },
    )
}

/// `GET /teams/{team}/containers`: by id, `q` matching part of the id, `limit` (0 = all) per
/// page from after `startingAfterKey`, `sortDirection` ASC or DESC.
pub async fn containers(
    State(management): State<Arc<Management>>,
    Path(team): Path<String>,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let query: HashMap<String, String> = crate::http::extract::query_pairs(&parts)
        .into_iter()
        .collect();
    if let Err(answer) = management.admit(&parts.headers) {
        return answer.into_response();
    }
    if team != management.team_id {
        return Answer::not_found(format!(
            "team `{}` is not this emulator's; its team is `{}`",
            shown(&team),
            management.team_id
        ))
        .into_response();
    }
    let mut ids: Vec<&str> = Vec::new();
    for shared in management.services.all() {
        if !ids.contains(&shared.container.as_str()) {
            ids.push(&shared.container);
        }
    }
    if let Some(q) = query.get("q").filter(|q| !q.is_empty()) {
        let q = q.to_ascii_lowercase();
        ids.retain(|id| id.to_ascii_lowercase().contains(&q));
    }
    ids.sort_unstable();
    if query.get("sortDirection").map(String::as_str) == Some("DESC") {
        ids.reverse();
    }
    let descending = query.get("sortDirection").map(String::as_str) == Some("DESC");
    if let Some(after) = query.get("startingAfterKey") {
        ids.retain(|id| {
            if descending {
                *id < after.as_str()
            } else {
                *id > after.as_str()
            }
        });
    }
    let limit = query
        .get("limit")
        .and_then(|l| l.parse::<usize>().ok())
        .filter(|l| *l > 0)
        .unwrap_or(usize::MAX);
    let next_key = (ids.len() > limit).then(|| ids[limit - 1].to_owned());
    ids.truncate(limit);
    json(
        StatusCode::OK,
        &ContainersResponse {
            containers: ids
                .into_iter()
                .map(|id| Container {
                    id: id.to_owned(),
                    team_id: management.team_id.clone(),
                    name: id.to_owned(),
                    image_url: None,
                    is_hidden: Some(false),
                })
                .collect(),
            next_key,
            previous_key: None,
            recent_containers: None,
        },
    )
}
