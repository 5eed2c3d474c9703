//! Account calls: teams and containers (spec §4.1, §4.2).

use cloudkit_wire::management::{
    Container, ContainersQuery, ContainersResponse, TeamsResponse, containers_path, teams_path,
};

use super::error::Error;
use super::handle::ManagementClient;
use super::transport::Call;

/// Most container pages [`ManagementClient::all_containers`] follows; a server that keeps
/// handing out keys does not keep the client busy forever.
const MAX_CONTAINER_PAGES: usize = 1000;

impl ManagementClient {
    /// The teams the management token's user belongs to (getTeams).
    pub async fn teams(&self) -> Result<TeamsResponse, Error> {
        let call = Call::new("getTeams", reqwest::Method::GET, teams_path());
        self.json(call).await
    }

    /// One page of a team's containers (getContainers).
    pub async fn containers(
        &self,
        team_id: &str,
        query: &ContainersQuery,
    ) -> Result<ContainersResponse, Error> {
        let mut call = Call::new(
            "getContainers",
            reqwest::Method::GET,
            containers_path(team_id),
        );
        call.query = query.pairs();
        self.json(call).await
    }

    /// Every container of a team, following `nextKey` until a page has none (or repeats one).
    pub async fn all_containers(&self, team_id: &str) -> Result<Vec<Container>, Error> {
        let mut query = ContainersQuery::default();
        let mut all = Vec::new();
        for _ in 0..MAX_CONTAINER_PAGES {
            let page = self.containers(team_id, &query).await?;
            all.extend(page.containers);
            match page.next_key {
                Some(key) if query.starting_after_key.as_deref() != Some(&key) => {
                    query.starting_after_key = Some(key);
                }
                _ => break,
            }
        }
        Ok(all)
    }
}
