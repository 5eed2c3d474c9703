//! Assets streamed between files and the emulator, never held whole in memory by the client,
//! with the download cap.

use crate::support::{API_TOKEN, CONTAINER, emulator};
use cloudkit_runtime::client::{AssetTarget, Client, Error};
use cloudkit_runtime::wire::{FieldValue, Record, RecordOperationType, Value};

fn client(emu: &cloudkit_emulator::Emulator, max_asset: u64) -> Client {
    Client::builder()
        .container(CONTAINER)
        .base_url(emu.base_url())
        .api_token(API_TOKEN)
        .web_auth_token(emu.sign_in("sam").expose())
        .max_asset_download_bytes(max_asset)
        .build()
        .expect("client")
}

#[tokio::test]
async fn a_file_streams_up_and_back_down_to_a_file() {
    let emu = emulator(None).await;
    let db = client(&emu, 10 * 1024 * 1024)
        .signed_in()
        .expect("signed in")
        .private_database();
    let dir = std::env::temp_dir().join(format!("ck-asset-streams-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let source = dir.join("up.bin");
    let data: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 253) as u8).collect();
    std::fs::write(&source, &data).expect("write");

    let uploaded = db
        .upload_asset_file(&AssetTarget::new("Attachment", "big", "file"), &source)
        .await
        .expect("upload");
    assert_eq!(uploaded.asset.size, Some(data.len() as u64));
    let record = Record::named("Attachment", "big")
        .with_field("title", FieldValue::from(Value::String("big".into())))
        .with_field(
            "file",
            FieldValue::from(Value::AssetId(Box::new(uploaded.asset))),
        );
    let report = db
        .modify()
        .operation(RecordOperationType::Create, record)
        .send()
        .await
        .expect("save");
    let saved = report.into_result().expect("saved").remove(0);
    let cloudkit_runtime::client::RecordOutcome::Saved(saved) = saved else {
        panic!("not saved");
    };
    let Some(FieldValue {
        value: Value::AssetId(asset) | Value::Asset(asset),
        ..
    }) = saved.fields.get("file").cloned()
    else {
        panic!("no asset in {saved:?}");
    };

    let target = dir.join("down.bin");
    let written = db
        .download_asset_to_file(&asset, &target)
        .await
        .expect("download");
    assert_eq!(written, data.len() as u64);
    assert!(
        std::fs::read(&target).expect("read") == data,
        "byte-identical"
    );

    // Over the cap: refused, and the partial file is gone.
    let small = client(&emu, 1024 * 1024)
        .signed_in()
        .expect("signed in")
        .private_database();
    let capped = dir.join("capped.bin");
    let err = small
        .download_asset_to_file(&asset, &capped)
        .await
        .expect_err("over the cap");
    assert!(
        matches!(
            err,
            Error::ResponseTooLarge {
                limit: 1_048_576,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!capped.exists());
    let _ = std::fs::remove_dir_all(&dir);
    emu.shutdown().await;
}
