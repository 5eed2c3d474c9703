//! The run, step by step. Every step prints what it did in plain words.

use std::time::{SystemTime, UNIX_EPOCH};

use cloudkit_runtime::client::{AssetTarget, Database, Error, PrivateDatabase, Scope, SyncToken};
use cloudkit_runtime::typed::ZoneSubscription;
use cloudkit_runtime::wire::{FiresOn, RecordEntry};
use cloudkit_runtime::{Asset, CloudKitRecord, Location, Reference, SystemFields, ZoneId};
use futures_util::TryStreamExt as _;

use crate::error::{AppError, Step};
use crate::records::{Folder, Note};
use crate::target::{Flow, Target};

/// Notes per query page, small so that the batch spans several pages.
const PAGE_SIZE: u32 = 8;
const OFFICE: (f64, f64) = (37.3349, -122.0090);
const HOME: (f64, f64) = (37.3230, -122.0322);

/// Where records go: a custom zone (private flow) or the default zone (public flow).
struct Place {
    zone: Option<ZoneId>,
    /// Makes record names unique per run, so runs against a real container do not collide.
    run: String,
}

impl Place {
    fn meta(&self, name: &str) -> SystemFields {
        let meta = SystemFields::new(format!("{name}-{}", self.run));
        match &self.zone {
            Some(zone) => meta.in_zone(zone.clone()),
            None => meta,
        }
    }

    fn reference<T>(&self, meta: &SystemFields) -> Option<Reference<T>> {
        let reference = Reference::new(meta.record_name()?);
        Some(match &self.zone {
            Some(zone) => reference.in_zone(zone.clone()),
            None => reference,
        })
    }
}

fn tag(meta: &SystemFields) -> &str {
    meta.change_tag().unwrap_or("none")
}

/// Runs the whole story against `target`.
pub async fn tell(target: &Target) -> Result<(), AppError> {
    let run = match target.emulator {
        Some(_) => "demo".to_owned(),
        None => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis().to_string())
            .unwrap_or_else(|_| "run".to_owned()),
    };
    match target.flow {
        Flow::Private => {
            // The private database needs the signed-in user the client was built with.
            let db = target
                .client
                .signed_in()
                .map_err(|e| AppError::Setup(e.to_string()))?
                .private_database();
            let zone = ZoneId::new(format!("Notes-{run}"));
            let saved = db
                .zones()
                .create(zone.clone())
                .await
                .step("creating the zone")?;
            println!(
                "Created zone '{}' in the private database.",
                saved.zone_id.zone_name
            );
            let place = Place {
                zone: Some(zone.clone()),
                run,
            };
            let token = sync_baseline(&db, &zone).await?;
            let kept = shared_steps(&db, &place).await?;
            sync_after(&db, &zone, token, &kept).await?;
            let zone_sub = ZoneSubscription::new(format!("notes-zone-{}", place.run), zone);
            let saved = db
                .subscriptions()
                .save(zone_sub)
                .await
                .step("saving the zone subscription")?;
            println!(
                "Saved zone subscription '{}': every change in the zone notifies.",
                saved.subscription_id
            );
            finish(&db, &place, kept).await
        }
        Flow::Public => {
            let db = target.client.public_database();
            let place = Place { zone: None, run };
            let kept = shared_steps(&db, &place).await?;
            finish(&db, &place, kept).await
        }
    }
}

/// Reads the zone's change feed once, so later changes can be fetched from its sync token.
async fn sync_baseline(db: &PrivateDatabase, zone: &ZoneId) -> Result<Option<SyncToken>, AppError> {
    let pages: Vec<_> = db
        .zone_changes(zone.clone(), None)
        .stream()
        .try_collect()
        .await
        .step("fetching zone changes")?;
    let count: usize = pages.iter().map(|p| p.records.len()).sum();
    let token = pages.last().and_then(|p| p.sync_token.clone());
    println!("Fetched zone changes from scratch: {count} changes; saved the sync token for later.");
    Ok(token)
}

/// What the shared steps leave for the last ones.
struct Kept {
    note: Note,
    folder: Folder,
    total: usize,
}

async fn shared_steps<S: Scope>(db: &Database<S>, place: &Place) -> Result<Kept, AppError> {
    // A folder and a batch of notes in it.
    let folder = Folder {
        meta: place.meta("folder-home"),
        name: "Home".into(),
    };
    let folder = db.save(&folder).await.step("saving the folder")?;
    println!(
        "Saved folder '{}' (change tag {}).",
        folder.name,
        tag(&folder.meta)
    );

    let notes = sample_notes(place, &folder);
    let total = notes.len();
    let mut batch = db.modify();
    for note in &notes {
        batch = batch.create(note);
    }
    if let Some(zone) = &place.zone {
        batch = batch.zone(zone.clone()).atomic();
    }
    let report = batch.send().await.step("saving the notes")?;
    let outcomes = report.into_result().step("saving the notes")?;
    println!(
        "Saved {} notes in one batch{}.",
        outcomes.len(),
        if place.zone.is_some() {
            " (atomic: all or nothing)"
        } else {
            ""
        }
    );

    // Queries: typed filters and sorts, checked against the schema when this compiles.
    let in_folder = Note::fields().folder_ref().equals(
        place
            .reference::<Folder>(&folder.meta)
            .ok_or_else(|| AppError::Unexpected("the saved folder has no record name".into()))?,
    );
    let query = Note::query()
        .filter(in_folder.clone())
        .sort(Note::fields().pinned().descending())
        .sort(Note::fields().title().ascending());
    let mut run = db.query(query).results_limit(PAGE_SIZE);
    if let Some(zone) = &place.zone {
        run = run.zone(zone.clone());
    }
    println!("Listing the folder, pinned first then by title, {PAGE_SIZE} per page:");
    let mut pages = std::pin::pin!(run.pages());
    let mut page_number = 0;
    while let Some(page) = pages.try_next().await.step("querying notes")? {
        page_number += 1;
        let mut titles = Vec::new();
        for record in page.records {
            let record = record.map_err(Error::from).step("querying notes")?;
            let note = Note::from_record(record)
                .map_err(|e| AppError::Unexpected(format!("a note did not decode: {e}")))?;
            titles.push(format!(
                "{}{}",
                if note.pinned { "📌 " } else { "" },
                note.title
            ));
        }
        println!("  page {page_number}: {}", titles.join(", "));
    }

    let near_office = Note::query()
        .filter(in_folder.clone())
        .filter(Note::fields().tags().list_contains("work"))
        .filter(
            Note::fields()
                .location()
                .near(Location::new(OFFICE.0, OFFICE.1), 1_000.0),
        )
        .sort(Note::fields().title().descending());
    let mut run = db.query(near_office).results_limit(PAGE_SIZE);
    if let Some(zone) = &place.zone {
        run = run.zone(zone.clone());
    }
    let mut stream = run.stream(); // a typed query's run yields `Note`s; `Unpin`, no `pin!`
    let mut found = Vec::new();
    while let Some(note) = stream.try_next().await.step("querying notes")? {
        found.push(note.title);
    }
    println!(
        "Work notes within 1 km of the office, title Z→A (streamed): {} — {}",
        found.len(),
        found.join(", ")
    );

    let mut run = db.query(
        Note::query()
            .filter(in_folder)
            .filter(Note::fields().title().contains_all_tokens("shopping")),
    );
    if let Some(zone) = &place.zone {
        run = run.zone(zone.clone());
    }
    let shopping: Vec<Note> = run.all().await.step("searching notes")?;
    println!(
        "Token search for 'shopping' in titles: {}",
        shopping
            .iter()
            .map(|n| format!("'{}'", n.title))
            .collect::<Vec<_>>()
            .join(", ")
    );

    // Update with the change tag.
    let name = format!("note-shopping-{}", place.run);
    let mut note: Note = db
        .lookup_in(name.clone(), place.zone.clone())
        .await
        .step("fetching the shopping list")?;
    let old_tag = tag(&note.meta).to_owned();
    note.body = Some("milk, eggs, bread, coffee".into());
    note.attachment = Some(attach_file(db, place, &note).await?);
    let note = db.save(&note).await.step("updating the shopping list")?;
    println!(
        "Updated '{}' with its change tag {old_tag}, attachment included: now change tag {}.",
        note.title,
        tag(&note.meta)
    );
    check_attachment(db, &note).await?;

    // A conflict: two copies of the same note, edited one after the other.
    let note = conflict(db, place, note).await?;

    Ok(Kept {
        note,
        folder,
        total,
    })
}

/// The shopping list's attachment: a small file, uploaded first (CloudKit hands back a receipt
/// for this record's field), then saved in the record's ASSET field.
async fn attach_file<S: Scope>(
    db: &Database<S>,
    place: &Place,
    note: &Note,
) -> Result<Asset, AppError> {
    let record_name = note
        .meta
        .record_name
        .as_deref()
        .ok_or_else(|| AppError::Unexpected("the shopping list has no record name".into()))?;
    let mut target = AssetTarget::new(Note::RECORD_TYPE, record_name, "attachment");
    if let Some(zone) = &place.zone {
        target = target.in_zone(zone.clone());
    }
    let uploaded = db
        .upload_asset(&target, SHOPPING_LIST_FILE)
        .await
        .step("uploading the attachment")?;
    println!(
        "Uploaded shopping-list.txt ({} bytes) for the note's attachment.",
        SHOPPING_LIST_FILE.len()
    );
    Ok(uploaded.asset)
}

/// Reads the attachment back through the saved record's download URL.
async fn check_attachment<S: Scope>(db: &Database<S>, note: &Note) -> Result<(), AppError> {
    let asset = note
        .attachment
        .as_ref()
        .ok_or_else(|| AppError::Unexpected("the saved note lost its attachment".into()))?;
    let bytes = db
        .download_asset(asset)
        .await
        .step("downloading the attachment")?;
    if bytes != SHOPPING_LIST_FILE {
        return Err(AppError::Unexpected(
            "the downloaded attachment differs from the uploaded file".into(),
        ));
    }
    println!(
        "Downloaded the attachment again: {} bytes, identical to the file uploaded.",
        bytes.len()
    );
    Ok(())
}

/// The attachment's content.
const SHOPPING_LIST_FILE: &[u8] = b"milk\neggs\nbread\ncoffee\n";

async fn conflict<S: Scope>(db: &Database<S>, place: &Place, note: Note) -> Result<Note, AppError> {
    let stale = note.clone();
    let mut phone = note;
    phone.tags.push("urgent".into());
    let phone = db.save(&phone).await.step("saving the phone's copy")?;
    println!(
        "Another device tagged '{}' as urgent (change tag {}).",
        phone.title,
        tag(&phone.meta)
    );

    let mut laptop = stale;
    laptop.pinned = true;
    println!(
        "This device pins its copy, still at change tag {}, and saves it…",
        tag(&laptop.meta)
    );
    match db.save(&laptop).await {
        Ok(saved) => {
            return Err(AppError::Unexpected(format!(
                "a stale copy was accepted (change tag {})",
                tag(&saved.meta)
            )));
        }
        Err(error) if error.is_conflict() => {
            println!("  → CONFLICT: the server has a newer version ({error}).");
        }
        Err(error) => {
            return Err(AppError::CloudKit {
                step: "saving the stale copy",
                source: error,
            });
        }
    }
    let name = laptop.meta.record_name().unwrap_or_default().to_owned();
    let mut latest: Note = db
        .lookup_in(name, place.zone.clone())
        .await
        .step("re-fetching after the conflict")?;
    latest.pinned = laptop.pinned;
    let merged = db.save(&latest).await.step("saving the merged note")?;
    println!(
        "  → Re-fetched, merged (kept the phone's tags {:?}, applied our pin) and saved: change tag {}.",
        merged.tags,
        tag(&merged.meta)
    );
    Ok(merged)
}

/// Changes since the baseline token, then since the newest token: only what is new.
async fn sync_after(
    db: &PrivateDatabase,
    zone: &ZoneId,
    token: Option<SyncToken>,
    kept: &Kept,
) -> Result<(), AppError> {
    let (changed, token) = changes_since(db, zone, token).await?;
    let notes = changed.iter().filter(|c| c.starts_with("note ")).count();
    let folders = changed.iter().filter(|c| c.starts_with("folder ")).count();
    println!(
        "Fetched changes since the first sync token: {} records changed ({notes} notes, {folders} folder).",
        changed.len()
    );

    let mut note = kept.note.clone();
    note.title = "Shopping list (weekend)".into();
    let note = db.save(&note).await.step("renaming the shopping list")?;
    println!(
        "Renamed the shopping list to '{}' (change tag {}).",
        note.title,
        tag(&note.meta)
    );
    let (changed, _) = changes_since(db, zone, token).await?;
    println!(
        "Fetched changes since the newer sync token: {} change — {}.",
        changed.len(),
        changed.join(", ")
    );
    Ok(())
}

async fn changes_since(
    db: &PrivateDatabase,
    zone: &ZoneId,
    token: Option<SyncToken>,
) -> Result<(Vec<String>, Option<SyncToken>), AppError> {
    let mut pages = std::pin::pin!(db.zone_changes(zone.clone(), token.clone()).stream());
    let mut changed = Vec::new();
    let mut last = token;
    while let Some(page) = pages.try_next().await.step("fetching zone changes")? {
        for entry in page.records {
            let entry = entry.map_err(Error::from).step("fetching zone changes")?;
            changed.push(match entry {
                RecordEntry::Record(record) => match record.record_type.as_deref() {
                    Some(Folder::RECORD_TYPE) => Folder::from_record(record)
                        .map(|folder| format!("folder '{}'", folder.name))
                        .map_err(|e| {
                            AppError::Unexpected(format!("a folder did not decode: {e}"))
                        })?,
                    _ => Note::from_record(record)
                        .map(|note| format!("note '{}'", note.title))
                        .map_err(|e| AppError::Unexpected(format!("a note did not decode: {e}")))?,
                },
                RecordEntry::Tombstone(t) => format!("deleted '{}'", t.record_name),
            });
        }
        if page.sync_token.is_some() {
            last = page.sync_token;
        }
    }
    Ok((changed, last))
}

/// The typed subscription and the delete, in either database.
async fn finish<S: Scope>(db: &Database<S>, place: &Place, kept: Kept) -> Result<(), AppError> {
    let pinned = Note::query()
        .filter(Note::fields().pinned().equals(true))
        .filter(Note::fields().tags().list_contains("home"));
    // One subscription per user and purpose: a fixed ID, zone-wide, so a second run finds it
    // instead of adding a duplicate (CloudKit refuses two query subscriptions alike).
    let id = "pinned-home-notes".to_owned();
    let subscriptions = db.subscriptions();
    let existing = subscriptions
        .lookup(std::slice::from_ref(&id))
        .await
        .step("looking up the subscription")?;
    if let Some(Ok(found)) = existing.into_iter().next() {
        println!(
            "Subscription '{}' is already saved (an earlier run made it); keeping it.",
            found.subscription_id
        );
    } else {
        let subscription = Note::subscription(id)
            .query(pinned)
            .fires_on([FiresOn::Create, FiresOn::Update]);
        let saved = subscriptions
            .save(subscription)
            .await
            .step("saving the subscription")?;
        println!(
            "Saved subscription '{}': notifies when pinned home notes are created or updated.",
            saved.subscription_id
        );
    }

    let name = format!("note-old-receipts-{}", place.run);
    let receipts: Note = db
        .lookup_in(name.clone(), place.zone.clone())
        .await
        .step("fetching the old receipts note")?;
    db.delete_record(&receipts)
        .await
        .step("deleting the old receipts note")?;
    println!(
        "Deleted note '{}' (its change tag {} was current).",
        receipts.title,
        tag(&receipts.meta)
    );
    match db.lookup_in::<Note>(name, place.zone.clone()).await {
        Err(error) if error.is_not_found() => {
            println!("  → Looking it up again: NOT_FOUND, as expected.")
        }
        Ok(_) => {
            return Err(AppError::Unexpected(
                "the deleted note is still there".into(),
            ));
        }
        Err(error) => {
            return Err(AppError::CloudKit {
                step: "looking up the deleted note",
                source: error,
            });
        }
    }
    println!(
        "Done: folder '{}' holds {} notes.",
        kept.folder.name,
        kept.total - 1
    );
    Ok(())
}

fn sample_notes(place: &Place, folder: &Folder) -> Vec<Note> {
    let folder_ref = place.reference::<Folder>(&folder.meta);
    let note = |name: &str, title: &str, tags: &[&str], pinned: bool, at: (f64, f64)| Note {
        meta: place.meta(&format!("note-{name}")),
        title: title.into(),
        body: None,
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        pinned,
        location: Some(Location::new(at.0, at.1)),
        attachment: None,
        folder_ref: folder_ref.clone(),
        word_count: i64::try_from(title.split_whitespace().count()).ok(),
    };
    let mut notes = vec![
        note("shopping", "Shopping list", &["home"], false, HOME),
        note("old-receipts", "Old receipts", &["home"], false, HOME),
        note("standup", "Standup notes", &["work"], true, OFFICE),
        note(
            "roadmap",
            "Roadmap ideas",
            &["work", "ideas"],
            false,
            OFFICE,
        ),
        note("garden", "Garden plan", &["home", "ideas"], true, HOME),
        note("hardware", "Hardware shopping", &["home"], false, HOME),
    ];
    for week in 1..=14 {
        notes.push(note(
            &format!("week-{week:02}"),
            &format!("Week {week:02} review"),
            &["work"],
            false,
            if week % 2 == 0 { OFFICE } else { HOME },
        ));
    }
    notes
}
