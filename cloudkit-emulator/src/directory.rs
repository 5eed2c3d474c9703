//! The emulator's test users: who can sign in on the web sign-in page and who can be
//! discovered (`users/discover`, `users/lookup/*`, spec §3.24–3.27, §4.15).
//!
//! Any name can sign in through [`Emulator::sign_in`](crate::Emulator::sign_in); only users in
//! the directory have an email address, a phone number and a real name, and only discoverable
//! ones are found by other users.

use cloudkit_wire::ws::{LookupInfo, NameComponents, User as WireUser, UserIdentity};

use crate::auth::User;

/// One test user as the directory knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestUser {
    /// The sign-in name, e.g. `alice`.
    pub name: String,
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Email address, for discovery by email.
    pub email: String,
    /// Phone number, for discovery by phone.
    pub phone: Option<String>,
    /// Whether other users may discover this one.
    pub discoverable: bool,
}

impl TestUser {
    /// A discoverable user with an email `{name}@example.com` and no phone.
    pub fn new(name: &str, given_name: &str, family_name: &str) -> TestUser {
        TestUser {
            name: name.to_owned(),
            given_name: given_name.to_owned(),
            family_name: family_name.to_owned(),
            email: format!("{name}@example.com"),
            phone: None,
            discoverable: true,
        }
    }

    /// Sets the phone number.
    pub fn phone(mut self, phone: &str) -> TestUser {
        self.phone = Some(phone.to_owned());
        self
    }

    /// Sets whether others may discover the user.
    pub fn discoverable(mut self, discoverable: bool) -> TestUser {
        self.discoverable = discoverable;
        self
    }

    /// The user record name (stable for the name).
    pub fn user_record_name(&self) -> String {
        User::named(&self.name).user_record_name
    }

    /// The user identity dictionary, found through `lookup`.
    pub fn identity(&self, lookup: Option<LookupInfo>) -> UserIdentity {
        UserIdentity {
            user_record_name: Some(self.user_record_name()),
            lookup_info: lookup,
            name_components: Some(self.name_components()),
        }
    }

    /// The name components dictionary.
    pub fn name_components(&self) -> NameComponents {
        NameComponents {
            given_name: Some(self.given_name.clone()),
            family_name: Some(self.family_name.clone()),
            ..NameComponents::default()
        }
    }

    /// The legacy user dictionary; the email only when asked for by email (spec §3.26–3.27).
    pub fn legacy(&self, with_email: bool) -> WireUser {
        WireUser {
            user_record_name: Some(self.user_record_name()),
            first_name: Some(self.given_name.clone()),
            last_name: Some(self.family_name.clone()),
            email_address: with_email.then(|| self.email.clone()),
        }
    }
}

/// Every test user of an emulator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directory {
    users: Vec<TestUser>,
}

impl Default for Directory {
    /// Alice and Bob (discoverable, Bob with a phone) and Carol (not discoverable).
    fn default() -> Self {
        Directory {
            users: vec![
                TestUser::new("alice", "Alice", "Archer"),
                TestUser::new("bob", "Bob", "Baker").phone("+15550100002"),
                TestUser::new("carol", "Carol", "Cooper").discoverable(false),
            ],
        }
    }
}

impl Directory {
    /// A directory of exactly these users.
    pub fn new(users: Vec<TestUser>) -> Directory {
        Directory { users }
    }

    /// Adds or replaces (by name) a user.
    pub fn insert(&mut self, user: TestUser) {
        self.users.retain(|u| u.name != user.name);
        self.users.push(user);
    }

    /// Every user, in insertion order.
    pub fn users(&self) -> &[TestUser] {
        &self.users
    }

    /// The user with this sign-in name.
    pub fn by_name(&self, name: &str) -> Option<&TestUser> {
        self.users.iter().find(|u| u.name == name)
    }

    /// The user with this record name.
    pub fn by_record_name(&self, record_name: &str) -> Option<&TestUser> {
        self.users
            .iter()
            .find(|u| u.user_record_name() == record_name)
    }

    /// The user a lookup info names (email case-insensitively, phone ignoring spaces).
    pub fn find(&self, info: &LookupInfo) -> Option<&TestUser> {
        if let Some(email) = &info.email_address {
            return self
                .users
                .iter()
                .find(|u| u.email.eq_ignore_ascii_case(email.trim()));
        }
        if let Some(phone) = &info.phone_number {
            let digits = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            let wanted = digits(phone);
            return self
                .users
                .iter()
                .find(|u| u.phone.as_deref().map(digits).as_deref() == Some(wanted.as_str()));
        }
        info.user_record_name
            .as_deref()
            .and_then(|n| self.by_record_name(n))
    }
}
