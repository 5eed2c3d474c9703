//! Teams and containers: `GET /users/current/teams` and `GET /teams/{teamId}/containers`
//! (spec §4.1, §4.2).

use serde::{Deserialize, Serialize};

/// The answer of getTeams: the teams the management token's user belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamsResponse {
    /// The teams.
    pub teams: Vec<Team>,
    /// The team used last (inferred meaning).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recent_team_id: Option<String>,
}

/// One developer team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Team {
    /// The team id, e.g. `ABCDE12345`.
    pub team_id: String,
    /// The team's display name.
    pub team_name: String,
    /// The kind of team, as Apple names it (free text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_type: Option<String>,
}

/// The answer of getContainers: one page of a team's containers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainersResponse {
    /// The page.
    pub containers: Vec<Container>,
    /// Pass as [`ContainersQuery::starting_after_key`] for the next page; absent on the last
    /// page (inferred).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_key: Option<String>,
    /// Pass as [`ContainersQuery::ending_before_key`] for the previous page (inferred).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_key: Option<String>,
    /// Recently used containers (inferred meaning).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recent_containers: Option<Vec<Container>>,
}

/// One CloudKit container.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Container {
    /// The container id, e.g. `iCloud.com.example.notes`.
    pub id: String,
    /// The team that owns it.
    pub team_id: String,
    /// Its display name.
    pub name: String,
    /// An icon URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    /// Whether the container is hidden in CloudKit Console.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_hidden: Option<bool>,
}

/// What to sort containers by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerSort {
    /// By container id (the server's default).
    Id,
    /// By display name.
    Name,
}

/// Sort direction of a container listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortDirection {
    /// Ascending (the server's default).
    Ascending,
    /// Descending.
    Descending,
}

/// The query parameters of getContainers; every one is optional and left out when unset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainersQuery {
    /// Page size; `0` asks for everything.
    pub limit: Option<i32>,
    /// Forward paging: containers after this key (a previous page's `nextKey`).
    pub starting_after_key: Option<String>,
    /// Backward paging: containers before this key (a page's `previousKey`).
    pub ending_before_key: Option<String>,
    /// Sort field.
    pub sort_by: Option<ContainerSort>,
    /// Sort direction.
    pub sort_direction: Option<SortDirection>,
    /// Substring of the container's name or id; no wildcards.
    pub q: Option<String>,
    /// Include hidden containers.
    pub show_hidden: Option<bool>,
}

impl ContainersQuery {
    /// The parameters as name/value pairs in the order CKTool JS sends them, unset ones left
    /// out. The caller form-encodes them (`URLSearchParams` rules, spec §1.3).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(limit) = self.limit {
            pairs.push(("limit", limit.to_string()));
        }
        if let Some(key) = &self.starting_after_key {
            pairs.push(("startingAfterKey", key.clone()));
        }
        if let Some(key) = &self.ending_before_key {
            pairs.push(("endingBeforeKey", key.clone()));
        }
        if let Some(direction) = self.sort_direction {
            let value = match direction {
                SortDirection::Ascending => "ASC",
                SortDirection::Descending => "DESC",
            };
            pairs.push(("sortDirection", value.to_owned()));
        }
        if let Some(sort) = self.sort_by {
            let value = match sort {
                ContainerSort::Id => "ID",
                ContainerSort::Name => "NAME",
            };
            pairs.push(("sortBy", value.to_owned()));
        }
        if let Some(q) = &self.q {
            pairs.push(("q", q.clone()));
        }
        if let Some(show) = self.show_hidden {
            pairs.push(("showHidden", show.to_string()));
        }
        pairs
    }
}
