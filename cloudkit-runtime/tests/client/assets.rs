//! Assets, client against the emulator over HTTP on 127.0.0.1: upload, save with the receipt,
//! download, rereference, and the refusals.

use crate::support::{emulator, emulator_with, user_client};
use cloudkit_runtime::client::{AssetTarget, PrivateDatabase};
use cloudkit_runtime::codec::{self, kind};
use cloudkit_runtime::wire::{AssetFieldRef, AssetUploadToken, Record, ServerErrorCode};
use cloudkit_runtime::{Asset, CloudKitRecord, DecodeError, SystemFields};

#[derive(Debug, Clone)]
struct Attachment {
    meta: SystemFields,
    title: String,
    file: Asset,
}

impl CloudKitRecord for Attachment {
    const RECORD_TYPE: &'static str = "Attachment";
    fn to_record(&self) -> Record {
        let mut record = Record::new(Self::RECORD_TYPE);
        self.meta.write_to(&mut record);
        codec::put::<kind::String, _>(&mut record.fields, "title", &self.title);
        codec::put::<kind::Asset, _>(&mut record.fields, "file", &self.file);
        record
    }
    fn from_record(mut record: Record) -> Result<Self, DecodeError> {
        cloudkit_runtime::check_record_type(&record, Self::RECORD_TYPE)?;
        let meta = SystemFields::take_from(&mut record);
        let title = codec::take::<kind::String, _>(&mut record.fields, "title")?;
        let file = codec::take::<kind::Asset, _>(&mut record.fields, "file")?;
        Ok(Attachment { meta, title, file })
    }
}

fn attachment(name: &str, file: Asset) -> Attachment {
    Attachment {
        meta: SystemFields::new(name),
        title: name.to_owned(),
        file,
    }
}

/// The dictionary with opaque strings replaced (keys and sizes stay).
fn shape(asset: &Asset) -> serde_json::Value {
    let mut value = serde_json::to_value(asset).expect("json");
    if let Some(map) = value.as_object_mut() {
        for (key, v) in map.iter_mut() {
            if v.is_string() {
                *v = serde_json::Value::String(format!("<{key}>"));
            }
        }
    }
    value
}

fn bytes(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i * 31 % 251) as u8).collect()
}

async fn exists(db: &PrivateDatabase, name: &str) -> bool {
    match db.lookup::<Attachment>(name).await {
        Ok(_) => true,
        Err(e) if e.is_not_found() => false,
        Err(e) => panic!("lookup {name}: {e}"),
    }
}

#[tokio::test]
async fn upload_save_download_and_rereference() {
    let emu = emulator(None).await;
    let db = user_client(&emu, "alice")
        .signed_in()
        .expect("signed in")
        .private_database();
    let data = bytes(300_000);

    let uploaded = db
        .upload_asset(&AssetTarget::new("Attachment", "a1", "file"), data.clone())
        .await
        .expect("upload");
    assert_eq!(uploaded.record_name, "a1");
    let single = &uploaded.asset;
    assert_eq!(single.size, Some(300_000));
    assert!(single.receipt.is_some() && single.wrapping_key.is_some());
    assert!(single.reference_checksum.is_some() && single.download_url.is_none());
    insta::assert_json_snapshot!("single_file", shape(single));

    let saved = db
        .save(&attachment("a1", uploaded.asset.clone()))
        .await
        .expect("save with receipt");
    assert_eq!(saved.file.receipt, None, "the receipt is not returned");
    assert_eq!(saved.file.file_checksum, single.file_checksum);
    let read: Attachment = db.lookup("a1").await.expect("lookup");
    insta::assert_json_snapshot!("saved_asset", shape(&read.file));
    assert!(
        read.file
            .download_url
            .as_deref()
            .is_some_and(|u| u.contains("${f}"))
    );
    let downloaded = db.download_asset(&read.file).await.expect("download");
    assert!(downloaded == data, "byte-identical");

    // From a file on disk too.
    let dir = std::env::temp_dir().join(format!("ck-assets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("photo.bin");
    std::fs::write(&path, b"file contents").expect("write");
    let from_file = db
        .upload_asset_file(&AssetTarget::new("Attachment", "a2", "file"), &path)
        .await
        .expect("upload file");
    let saved2 = db
        .save(&attachment("a2", from_file.asset))
        .await
        .expect("save a2");
    assert_eq!(
        db.download_asset(&saved2.file).await.expect("dl"),
        b"file contents"
    );
    let _ = std::fs::remove_dir_all(&dir);

    // Rereference: the same file, saved in another record.
    let again = db
        .rereference_assets(
            vec![AssetFieldRef {
                record_name: "a1".into(),
                field_name: "file".into(),
            }],
            None,
            None,
        )
        .await
        .expect("rereference");
    let asset = again.into_iter().next().expect("one").expect("asset");
    assert!(asset.receipt.is_some());
    let copy = db.save(&attachment("a3", asset)).await.expect("save copy");
    assert!(db.download_asset(&copy.file).await.expect("dl copy") == data);

    // Saving a read-back record again unchanged keeps the asset.
    let mut read = read;
    read.title = "renamed".into();
    db.save(&read).await.expect("update keeps the asset");
    emu.shutdown().await;
}

#[tokio::test]
async fn download_urls_follow_the_emulator_to_its_new_address_after_a_restart() {
    let dir = std::env::temp_dir().join(format!("ck-assets-restart-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let data_file = dir.join("emulator.sqlite");
    let _ = std::fs::remove_file(&data_file);
    let data = bytes(4_000);

    let first = emulator_with(None, |b| b.data_file(&data_file)).await;
    let db = user_client(&first, "alice")
        .signed_in()
        .expect("signed in")
        .private_database();
    let uploaded = db
        .upload_asset(
            &AssetTarget::new("Attachment", "kept", "file"),
            data.clone(),
        )
        .await
        .expect("upload");
    db.save(&attachment("kept", uploaded.asset))
        .await
        .expect("save");
    let first_url = first.base_url();
    first.shutdown().await;

    // The same data file, served on another (ephemeral) port.
    let second = emulator_with(None, |b| b.data_file(&data_file)).await;
    assert_ne!(second.base_url(), first_url, "a new port");
    let db = user_client(&second, "alice")
        .signed_in()
        .expect("signed in")
        .private_database();
    let read: Attachment = db.lookup("kept").await.expect("lookup after restart");
    let url = read.file.download_url.as_deref().expect("downloadURL");
    assert!(
        url.starts_with(&format!("{}/asset-download/", second.base_url())),
        "{url} points at the running emulator"
    );
    assert!(db.download_asset(&read.file).await.expect("download") == data);
    second.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn wrong_unknown_and_reused_receipts_are_refused_and_nothing_is_stored() {
    let emu = emulator(None).await;
    let db = user_client(&emu, "alice")
        .signed_in()
        .expect("signed in")
        .private_database();
    let uploaded = db
        .upload_asset(
            &AssetTarget::new("Attachment", "b1", "file"),
            b"abc".to_vec(),
        )
        .await
        .expect("upload");

    // Unknown receipt.
    let mut forged = uploaded.asset.clone();
    forged.receipt = Some("not-a-receipt".into());
    let err = db
        .save(&attachment("b1", forged))
        .await
        .expect_err("unknown receipt");
    assert_eq!(err.code(), Some(ServerErrorCode::BadRequest), "{err}");
    assert!(!exists(&db, "b1").await);

    // A receipt issued for b1 used in another record.
    let err = db
        .save(&attachment("other", uploaded.asset.clone()))
        .await
        .expect_err("receipt of another record");
    assert_eq!(err.code(), Some(ServerErrorCode::BadRequest), "{err}");
    assert!(!exists(&db, "other").await);

    // A checksum that does not match the receipt.
    let mut tampered = uploaded.asset.clone();
    tampered.size = Some(4);
    let err = db
        .save(&attachment("b1", tampered))
        .await
        .expect_err("size");
    assert_eq!(err.code(), Some(ServerErrorCode::BadRequest), "{err}");
    assert!(!exists(&db, "b1").await);

    // No receipt at all for an unknown file.
    let err = db
        .save(&attachment(
            "b2",
            Asset {
                file_checksum: Some("bm9wZQ==".into()),
                size: Some(3),
                ..Asset::default()
            },
        ))
        .await
        .expect_err("no receipt");
    assert_eq!(err.code(), Some(ServerErrorCode::BadRequest), "{err}");

    // The right one still works.
    db.save(&attachment("b1", uploaded.asset))
        .await
        .expect("save");

    // An upload URL works once.
    let urls = db
        .asset_upload_urls(
            vec![AssetUploadToken {
                record_name: Some("b3".into()),
                record_type: Some("Attachment".into()),
                field_name: "file".into(),
            }],
            None,
        )
        .await
        .expect("urls");
    let url = urls.into_iter().next().expect("one").expect("url").url;
    db.post_bytes(&url, b"x".to_vec())
        .await
        .expect("first post");
    let err = db.post_bytes(&url, b"y".to_vec()).await.expect_err("used");
    assert_eq!(err.code(), Some(ServerErrorCode::NotFound), "{err}");
    emu.shutdown().await;
}

#[tokio::test]
async fn assets_over_the_size_limit_are_refused() {
    let emu = emulator_with(None, |b| b).await;
    let db = user_client(&emu, "alice")
        .signed_in()
        .expect("signed in")
        .private_database();
    let limit = usize::try_from(cloudkit_emulator::DEFAULT_MAX_ASSET_BYTES).expect("fits");
    let target = AssetTarget::new("Attachment", "big", "file");
    let err = db
        .upload_asset(&target, vec![7u8; limit + 1])
        .await
        .expect_err("too large");
    assert_eq!(err.code(), Some(ServerErrorCode::QuotaExceeded), "{err}");
    assert!(!exists(&db, "big").await);
    // Exactly at the limit is fine.
    let ok = db
        .upload_asset(&target, vec![7u8; limit])
        .await
        .expect("at the limit");
    assert_eq!(ok.asset.size, Some(limit as u64));

    // More than 200 tokens in one request is refused before sending.
    let tokens = (0..201)
        .map(|i| AssetUploadToken {
            record_name: Some(format!("r{i}")),
            record_type: None,
            field_name: "file".into(),
        })
        .collect();
    assert!(db.asset_upload_urls(tokens, None).await.is_err());
    emu.shutdown().await;
}

#[test]
fn asset_request_dictionaries() {
    let upload = cloudkit_runtime::wire::AssetUploadRequest {
        tokens: vec![AssetUploadToken {
            record_name: Some("a1".into()),
            record_type: Some("Attachment".into()),
            field_name: "file".into(),
        }],
        zone_id: None,
    };
    insta::assert_json_snapshot!("asset_upload_request", upload);
    let rereference = cloudkit_runtime::wire::AssetRereferenceRequest {
        assets: vec![AssetFieldRef {
            record_name: "a1".into(),
            field_name: "file".into(),
        }],
        zone_id: None,
        target_zone_id: None,
    };
    insta::assert_json_snapshot!("asset_rereference_request", rereference);
}
