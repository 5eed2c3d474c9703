//! `cloudkit zones …` and `cloudkit subscriptions …`.

use cloudkit_runtime::wire::{Query, Subscription};

use super::emulator::TestEmulator;

#[test]
fn zones_are_created_listed_and_deleted_in_the_private_database() {
    let emu = TestEmulator::start();
    let created = emu
        .run(&[
            "zones",
            "create",
            "Notes",
            "Archive",
            "--database",
            "private",
        ])
        .ok();
    assert!(
        created.contains("created zone Notes") && created.contains("created zone Archive"),
        "{created}"
    );
    let listed = emu
        .run(&["zones", "list", "--database", "private", "--json"])
        .json_lines();
    let names: Vec<&str> = listed
        .iter()
        .filter_map(|z| z["zoneID"]["zoneName"].as_str())
        .collect();
    assert!(
        names.contains(&"Notes") && names.contains(&"Archive") && names.contains(&"_defaultZone"),
        "{names:?}"
    );
    let table = emu.run(&["zones", "list", "--database", "private"]);
    assert!(
        table.stdout.contains("zoneName") && table.stdout.contains("Archive"),
        "{table:#?}"
    );

    emu.run(&["zones", "delete", "Archive", "--database", "private"])
        .ok();
    let again = emu.run(&["zones", "delete", "Archive", "--database", "private"]);
    assert_eq!(again.code, 1, "{again:#?}");
    assert!(again.stderr.contains("ZONE_NOT_FOUND"), "{}", again.stderr);

    let public = emu.run(&["zones", "create", "Nope"]);
    assert_eq!(public.code, 2, "{public:#?}");
    assert!(
        public.stderr.contains("--database private"),
        "{}",
        public.stderr
    );
}

#[test]
fn subscriptions_are_listed_and_deleted() {
    let emu = TestEmulator::start();
    let db = emu.alice_session().private_database();
    emu.block_on(async {
        db.subscriptions()
            .save(Subscription::query("all-notes", Query::new("Note")))
            .await
    })
    .expect("a subscription is saved");
    let listed = emu
        .run(&["subscriptions", "list", "--database", "private", "--json"])
        .json_lines();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["subscriptionID"], "all-notes");
    let table = emu
        .run(&["subscriptions", "list", "--database", "private"])
        .ok();
    assert!(
        table.contains("all-notes") && table.contains("Note"),
        "{table}"
    );

    let deleted = emu
        .run(&[
            "subscriptions",
            "delete",
            "all-notes",
            "--database",
            "private",
        ])
        .ok();
    assert!(
        deleted.contains("deleted subscription all-notes"),
        "{deleted}"
    );
    let gone = emu.run(&[
        "subscriptions",
        "delete",
        "all-notes",
        "--database",
        "private",
    ]);
    assert_eq!(gone.code, 1, "{gone:#?}");
    assert!(gone.stderr.contains("NOT_FOUND"), "{}", gone.stderr);
}
